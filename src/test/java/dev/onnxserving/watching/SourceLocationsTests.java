package dev.onnxserving.watching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onnxserving.testing.FolderSources;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Locations are opened by the factory of their scheme; any other scheme is refused, never dropped. */
class SourceLocationsTests {

    @Test
    void opensALocationWithTheFactoryOfItsSchemeOnceAndReusesIt() {
        FolderSources factory = new FolderSources();
        String location = factory.register("folder", Path.of("models")) + "/iris";
        SourceLocations locations = new SourceLocations(List.of(factory));

        assertThat(locations.model(location)).isSameAs(locations.model(location));
        assertThat(locations.model(location).location()).isEqualTo("test://folder/iris");
        assertThat(locations.models("test://folder")).contains("iris", "digits");
    }

    @Test
    void refusesASchemeNoFactoryServesNamingTheSettingAndTheSchemesServed() {
        SourceLocations locations = new SourceLocations(List.of(new FolderSources()));

        assertThatThrownBy(() -> locations.check("serving.models.iris.source", "gs://bucket/iris"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("serving.models.iris.source: no model source serves the scheme 'gs' of 'gs://bucket/iris';"
                        + " the schemes served are [test]");
    }

    @Test
    void saysWhenTheServerHasNoSourcesAtAll() {
        assertThatThrownBy(() -> new SourceLocations(List.of()).check("serving.repository.source", "s3://bucket"))
                .hasMessageContaining("this server has no model sources (no ModelSourceFactory bean)");
    }

    @Test
    void refusesTwoFactoriesForOneScheme() {
        assertThatThrownBy(() -> new SourceLocations(List.of(new FolderSources(), new FolderSources())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("two model sources serve the scheme 'test'");
    }

    @Test
    void refusesALocationThatIsNoUri() {
        assertThatThrownBy(() -> new SourceLocations(List.of(new FolderSources()))
                        .check("serving.models.iris.source", "test://a b"))
                .hasMessageContaining("serving.models.iris.source: 'test://a b' is not a URI");
    }
}
