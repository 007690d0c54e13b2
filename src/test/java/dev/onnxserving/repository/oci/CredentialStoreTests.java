package dev.onnxserving.repository.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onnxserving.repository.source.SourceException;
import dev.onnxserving.repository.source.SourceException.Reason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

class CredentialStoreTests {

    @TempDir
    Path folder;

    private CredentialStore store(Path config, String username, String password) {
        return new CredentialStore(
                new OciProperties(
                        List.of(), config, username, password, null, Duration.ofSeconds(1), Duration.ofSeconds(1)),
                JsonMapper.builder().build());
    }

    @ParameterizedTest
    @CsvSource({
        "registry.example:5000, registry.example:5000",
        "https://registry.example:5000/v1/, registry.example:5000",
        "http://Registry.Example, registry.example",
        "ghcr.io/team, ghcr.io"
    })
    void anAuthsKeyNamesARegistryByItsHost(String key, String host) {
        assertThat(CredentialStore.hostOf(key)).isEqualTo(host);
    }

    @Test
    void configuredCredentialsComeBeforeTheFile() throws Exception {
        Path config = Files.writeString(
                folder.resolve("config.json"),
                "{\"auths\":{\"r.example\":{\"username\":\"file\",\"password\":\"p\"}}}");

        assertThat(store(config, "configured", "pw")
                        .forRegistry("r.example")
                        .orElseThrow()
                        .username())
                .isEqualTo("configured");
        assertThat(store(config, null, null)
                        .forRegistry("r.example")
                        .orElseThrow()
                        .username())
                .isEqualTo("file");
        assertThat(store(config, null, null).forRegistry("other.example")).isEmpty();
    }

    @Test
    void aMissingFileHoldsNoCredentialsAndAMalformedOneIsInvalidWithoutItsContent() throws Exception {
        assertThat(store(folder.resolve("absent.json"), null, null).forRegistry("r.example"))
                .isEmpty();
        Path broken = Files.writeString(folder.resolve("broken.json"), "{\"auths\": {\"r\": \"s3cret");
        assertThatThrownBy(() -> store(broken, null, null).forRegistry("r"))
                .isInstanceOfSatisfying(
                        SourceException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID))
                .hasMessageContaining(broken.toString())
                .hasMessageNotContaining("s3cret");
        Path badAuth =
                Files.writeString(folder.resolve("bad-auth.json"), "{\"auths\":{\"r\":{\"auth\":\"bm9jb2xvbg==\"}}}");
        assertThatThrownBy(() -> store(badAuth, null, null).forRegistry("r"))
                .isInstanceOfSatisfying(
                        SourceException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID))
                .hasMessageContaining("'user:password'");
    }

    @Test
    void credentialsNeverShowTheirSecretsWhenPrinted() {
        RegistryCredentials credentials = new RegistryCredentials("u", "hunter2", "refresh-me", "config.json");
        OciProperties properties = new OciProperties(
                List.of(), null, "u", "hunter2", "bearer-me", Duration.ofSeconds(1), Duration.ofSeconds(1));

        assertThat(credentials + " " + properties).doesNotContain("hunter2", "refresh-me", "bearer-me");
    }
}
