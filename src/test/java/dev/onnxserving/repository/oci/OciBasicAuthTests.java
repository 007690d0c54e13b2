package dev.onnxserving.repository.oci;

import static dev.onnxserving.repository.oci.OciTesting.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onnxserving.repository.source.SourceException;
import dev.onnxserving.repository.source.SourceException.Reason;
import dev.onnxserving.repository.source.SourceFile;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.crypto.bcrypt.BCrypt;

/** The OCI source against a real registry with htpasswd (basic) authentication. */
class OciBasicAuthTests {

    static final String USER = "reader";
    static final String PASSWORD = "s3cr3t-basic-pw";

    @TempDir
    static Path folder;

    private static RegistryProcess registry;

    @BeforeAll
    static void start() throws Exception {
        RegistryProcess.assumeInstalled();
        Path htpasswd = folder.resolve("htpasswd");
        Files.writeString(htpasswd, USER + ":" + BCrypt.hashpw(PASSWORD, BCrypt.gensalt(5)) + "\n");
        registry = RegistryProcess.start(
                folder.resolve("registry"), "htpasswd:\n  realm: test-realm\n  path: " + htpasswd + "\n");
        String basic = basic(USER, PASSWORD);
        new TestPublisher(registry.address(), repository -> basic)
                .push("team/iris", "1", Map.of("model.onnx", bytes("weights")));
    }

    @AfterAll
    static void stop() throws Exception {
        if (registry != null) {
            registry.close();
        }
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** A config.json with one auths entry under {@code key}. */
    static Path configJson(Path folder, String name, String key, String entry) throws Exception {
        return Files.writeString(folder.resolve(name), "{\"auths\": {\"" + key + "\": " + entry + "}}");
    }

    static String authField(String user, String password) {
        return "{\"auth\": \""
                + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8))
                + "\"}";
    }

    private OciModelSource source(OciProperties properties) {
        OciSourceFactory factory = new OciSourceFactory(properties);
        return (OciModelSource) factory.model(URI.create("oci://" + registry.address() + "/team/iris"));
    }

    @Test
    void theAuthFieldOfConfigJsonLogsIn() throws Exception {
        Path config = configJson(folder, "auth.json", registry.address(), authField(USER, PASSWORD));
        OciModelSource source = source(OciTesting.properties(registry.address(), config));

        assertThat(source.list().versions()).containsExactly(1L);
        SourceFile model = source.version(1).files().get(0);
        Path target = folder.resolve("model.onnx");
        source.fetch(model, target);
        assertThat(target).hasContent("weights");
    }

    @Test
    void usernameAndPasswordOfConfigJsonUnderAnAddressKeyLogIn() throws Exception {
        Path config = configJson(
                folder,
                "fields.json",
                "http://" + registry.address() + "/v2/",
                "{\"username\": \"" + USER + "\", \"password\": \"" + PASSWORD + "\"}");

        assertThat(source(OciTesting.properties(registry.address(), config))
                        .list()
                        .versions())
                .containsExactly(1L);
    }

    @Test
    void configuredCredentialsLogIn() {
        OciProperties properties = OciTesting.properties(
                registry.address(), folder.resolve("none.json"), USER, PASSWORD, Duration.ofSeconds(10));

        assertThat(source(properties).version(1).files()).hasSize(1);
    }

    @Test
    void aWrongPasswordIsUnauthorizedNamingTheRegistryAndTheFileButNoSecret() throws Exception {
        String wrong = "wr0ng-pa55word";
        Path config = configJson(folder, "wrong.json", registry.address(), authField(USER, wrong));

        assertThatThrownBy(() -> source(OciTesting.properties(registry.address(), config))
                        .list())
                .isInstanceOfSatisfying(SourceException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.UNAUTHORIZED);
                    OciTokenAuthTests.assertNoSecret(e, wrong, PASSWORD);
                })
                .hasMessageContaining("registry " + registry.address() + " refused the credentials from " + config);
    }

    @Test
    void noCredentialsIsUnauthorizedSayingWhereToPutThem() {
        Path none = folder.resolve("none.json");

        assertThatThrownBy(() ->
                        source(OciTesting.properties(registry.address(), none)).list())
                .isInstanceOfSatisfying(
                        SourceException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNAUTHORIZED))
                .hasMessageContaining("needs credentials")
                .hasMessageContaining(none.toString());
    }
}
