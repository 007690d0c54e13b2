package dev.onnxserving.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onnxserving.pipeline.ModelContext;
import dev.onnxserving.pipeline.ModelNotFoundException;
import dev.onnxserving.pipeline.ModelNotReadyException;
import dev.onnxserving.pipeline.ProcessorOptions;
import dev.onnxserving.repository.ModelSettings;
import dev.onnxserving.testing.FakeSession;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelRegistryTests {

    private final ModelRegistry registry = new ModelRegistry(null, ModelEvents.NONE, Clock.systemUTC());

    @Test
    void servesTheNewestReadyVersionWhenNoneIsConfigured() {
        registry.register("iris", ModelSettings.defaults(), "all", null);
        ready("iris", 1);
        ready("iris", 2);
        registry.markLoading("iris", 3);

        try (ModelLease lease = registry.acquire("iris", (Long) null)) {
            assertThat(lease.version()).isEqualTo(2);
        }
    }

    @Test
    void servesTheConfiguredDefaultVersion() {
        registry.register("iris", ModelSettings.defaults(), "all", 1L);
        ready("iris", 1);
        ready("iris", 2);

        try (ModelLease lease = registry.acquire("iris", (Long) null)) {
            assertThat(lease.version()).isEqualTo(1);
        }
        try (ModelLease lease = registry.acquire("iris", 2L)) {
            assertThat(lease.version()).isEqualTo(2);
        }
    }

    @Test
    void theOnlyModelIsTheDefaultModel() {
        registry.register("iris", ModelSettings.defaults(), "latest", null);
        ready("iris", 1);

        try (ModelLease lease = registry.acquire(null, (Long) null)) {
            assertThat(lease.modelName()).isEqualTo("iris");
        }
    }

    @Test
    void withSeveralModelsAndNoConfiguredDefaultTheDefaultModelIsNotFound() {
        registry.register("iris", ModelSettings.defaults(), "latest", null);
        registry.register("wine", ModelSettings.defaults(), "latest", null);

        assertThatThrownBy(() -> registry.acquire(null, (Long) null))
                .isInstanceOf(ModelNotFoundException.class)
                .hasMessageContaining("serving.default-model")
                .hasMessageContaining("[iris, wine]");
    }

    @Test
    void anUnknownModelIsNotFoundAndTheMessageListsTheModels() {
        registry.register("iris", ModelSettings.defaults(), "latest", null);

        assertThatThrownBy(() -> registry.acquire("irsi", (Long) null))
                .isInstanceOf(ModelNotFoundException.class)
                .hasMessage("no model 'irsi'; models: [iris]");
    }

    @Test
    void aVersionThatIsNotLoadedIsNotFoundButALoadingOneIsNotReady() {
        registry.register("iris", ModelSettings.defaults(), "all", null);
        ready("iris", 1);
        registry.markLoading("iris", 2);
        registry.markLoading("iris", 3);
        registry.markFailed("iris", 3, "corrupt file", "");

        assertThatThrownBy(() -> registry.acquire("iris", 7L))
                .isInstanceOf(ModelNotFoundException.class)
                .hasMessageContaining("has no loaded version 7");
        assertThatThrownBy(() -> registry.acquire("iris", 2L))
                .isInstanceOf(ModelNotReadyException.class)
                .hasMessageContaining("LOADING");
        assertThatThrownBy(() -> registry.acquire("iris", 3L))
                .isInstanceOf(ModelNotFoundException.class)
                .hasMessageContaining("FAILED: corrupt file");
    }

    @Test
    void aModelWithoutAReadyVersionIsNotReady() {
        registry.register("iris", ModelSettings.defaults(), "latest", null);
        registry.markLoading("iris", 1);
        registry.markFailed("iris", 1, "corrupt file", "");

        assertThatThrownBy(() -> registry.acquire("iris", (Long) null)).isInstanceOf(ModelNotReadyException.class);
        assertThat(registry.status("iris").orElseThrow().isReady()).isFalse();
    }

    @Test
    void aRemovedVersionClosesOnlyAfterItsLastLeaseIsReleased() {
        registry.register("iris", ModelSettings.defaults(), "latest", null);
        FakeSession session = ready("iris", 1);
        ModelLease first = registry.acquire("iris", 1L);
        ModelLease second = registry.acquire("iris", 1L);

        registry.remove("iris", 1);

        assertThat(session.closes).hasValue(0);
        assertThatThrownBy(() -> registry.acquire("iris", 1L)).isInstanceOf(ModelNotFoundException.class);
        first.close();
        first.close();
        assertThat(session.closes).hasValue(0);
        second.close();
        assertThat(session.closes).hasValue(1);
    }

    @Test
    void replacingAVersionRetiresTheOldInstanceOnce() {
        registry.register("iris", ModelSettings.defaults(), "latest", null);
        FakeSession old = ready("iris", 1);
        FakeSession replacement = ready("iris", 1);

        assertThat(old.closes).hasValue(1);
        assertThat(replacement.closes).hasValue(0);
        try (ModelLease lease = registry.acquire("iris", 1L)) {
            assertThat(lease.session()).isSameAs(replacement);
        }
    }

    @Test
    void aFailedReloadKeepsTheServingVersionAndSaysWhy() {
        registry.register("iris", ModelSettings.defaults(), "latest", null);
        FakeSession serving = ready("iris", 1);

        registry.markLoading("iris", 1);
        registry.markFailed("iris", 1, "truncated file", "");

        var version = registry.status("iris").orElseThrow().versions().get(0);
        assertThat(version.state()).isEqualTo(ModelState.READY);
        assertThat(version.reason()).contains("truncated file");
        try (ModelLease lease = registry.acquire("iris", (Long) null)) {
            assertThat(lease.session()).isSameAs(serving);
        }
    }

    @Test
    void removeAllClosesEverySession() {
        registry.register("iris", ModelSettings.defaults(), "all", null);
        List<FakeSession> sessions = List.of(ready("iris", 1), ready("iris", 2));

        registry.removeAll();

        assertThat(sessions).allSatisfy(session -> assertThat(session.closes).hasValue(1));
        assertThat(registry.status("iris").orElseThrow().versions()).isEmpty();
    }

    private FakeSession ready(String name, long version) {
        FakeSession session = new FakeSession();
        ModelContext context =
                new ModelContext(name, version, Path.of("models", name), session.signature(), ProcessorOptions.empty());
        registry.markReady(
                name, version, new LoadedVersion(context, session, (i, p) -> null, (o, n, p) -> List.of()), "");
        return session;
    }
}
