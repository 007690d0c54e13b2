package dev.onnxserving.repository.oci;

import static dev.onnxserving.repository.oci.OciTesting.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onnxserving.repository.source.SourceException;
import dev.onnxserving.repository.source.SourceException.Reason;
import dev.onnxserving.repository.source.SourceFile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OCI source against a real registry with token authentication: the registry challenges with a bearer realm,
 * the source gets a JWT from the token service with config.json credentials, and the registry verifies it.
 */
class OciTokenAuthTests {

    private static final String USER = "puller";
    private static final String PASSWORD = "t0ken-service-pw";

    @TempDir
    static Path folder;

    private static TokenIssuer issuer;
    private static RegistryProcess registry;

    @BeforeAll
    static void start() throws Exception {
        RegistryProcess.assumeInstalled();
        issuer = new TokenIssuer(USER, PASSWORD);
        registry = RegistryProcess.start(folder.resolve("registry"), issuer.registryAuth(folder));
        TestPublisher publisher = new TestPublisher(registry.address(), repository -> {
            try {
                return "Bearer " + issuer.mint("repository:" + repository + ":pull,push");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        publisher.push("team/iris", "1", Map.of("model.onnx", bytes("v1 weights")));
        publisher.push("team/iris", "2", Map.of("model.onnx", bytes("v2 weights")));
        publisher.push("team/iris", OciModelSource.MODEL_FILES_TAG, Map.of("model.yaml", bytes("kind: tabular\n")));
    }

    @AfterAll
    static void stop() throws Exception {
        if (registry != null) {
            registry.close();
        }
        if (issuer != null) {
            issuer.close();
        }
    }

    static void assertNoSecret(Throwable failure, String... secrets) {
        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        for (String secret : secrets) {
            String encoded = Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8));
            assertThat(trace.toString()).doesNotContain(secret).doesNotContain(encoded);
        }
    }

    private OciSourceFactory factory(Path config) {
        return new OciSourceFactory(new OciProperties(
                java.util.List.of(registry.address(), issuer.authority()),
                config,
                null,
                null,
                null,
                java.time.Duration.ofSeconds(5),
                java.time.Duration.ofSeconds(10)));
    }

    @Test
    void credentialsAreNotSentToAPlainHttpTokenServiceThatIsNotListed() throws Exception {
        Path config = OciBasicAuthTests.configJson(
                folder, "unlisted.json", registry.address(), OciBasicAuthTests.authField(USER, PASSWORD));
        OciSourceFactory factory = new OciSourceFactory(OciTesting.properties(registry.address(), config));
        int before = issuer.issued();

        assertThatThrownBy(() -> factory.model(URI.create("oci://" + registry.address() + "/team/iris"))
                        .list())
                .isInstanceOfSatisfying(
                        SourceException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID))
                .hasMessageContaining("credentials are not sent there");
        assertThat(issuer.issued()).isEqualTo(before);
    }

    @Test
    void aTokenFromTheRealmWithConfigJsonCredentialsIsAcceptedAndReusedForItsScope() throws Exception {
        Path config = OciBasicAuthTests.configJson(
                folder, "ok.json", registry.address(), OciBasicAuthTests.authField(USER, PASSWORD));
        OciSourceFactory factory = factory(config);
        var source = factory.model(URI.create("oci://" + registry.address() + "/team/iris"));
        int before = issuer.issued();

        assertThat(source.list().versions()).containsExactly(1L, 2L);
        assertThat(source.list().modelFiles()).extracting(SourceFile::path).containsExactly("model.yaml");
        SourceFile model = source.version(2).files().get(0);
        Path target = folder.resolve("v2.onnx");
        source.fetch(model, target);

        assertThat(target).hasContent("v2 weights");
        assertThat(issuer.issued() - before).as("tokens issued for one scope").isEqualTo(1);
        factory.destroy();
    }

    @Test
    void anIdentityTokenOfConfigJsonIsExchangedForAnAccessToken() throws Exception {
        Path config = OciBasicAuthTests.configJson(
                folder,
                "identity.json",
                registry.address(),
                "{\"identitytoken\": \"" + TokenIssuer.IDENTITY_TOKEN + "\"}");

        assertThat(factory(config)
                        .model(URI.create("oci://" + registry.address() + "/team/iris"))
                        .version(1)
                        .files())
                .extracting(SourceFile::path)
                .containsExactly("model.onnx");
    }

    @Test
    void theCatalogIsListedWithACatalogToken() throws Exception {
        Path config = OciBasicAuthTests.configJson(
                folder, "catalog.json", registry.address(), OciBasicAuthTests.authField(USER, PASSWORD));

        assertThat(factory(config).models(URI.create("oci://" + registry.address() + "/team")))
                .containsExactly("iris");
    }

    @Test
    void wrongCredentialsAreUnauthorizedWithoutTheSecret() throws Exception {
        String wrong = "not-the-t0ken-pw";
        Path config = OciBasicAuthTests.configJson(
                folder, "wrong.json", registry.address(), OciBasicAuthTests.authField(USER, wrong));

        assertThatThrownBy(() -> factory(config)
                        .model(URI.create("oci://" + registry.address() + "/team/iris"))
                        .version(1))
                .isInstanceOfSatisfying(SourceException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.UNAUTHORIZED);
                    assertNoSecret(e, wrong, PASSWORD);
                })
                .hasMessageContaining("registry " + registry.address() + " refused the credentials from " + config);
    }

    @Test
    void noCredentialsAreUnauthorized() {
        assertThatThrownBy(() -> factory(folder.resolve("none.json"))
                        .model(URI.create("oci://" + registry.address() + "/team/iris"))
                        .list())
                .isInstanceOfSatisfying(
                        SourceException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNAUTHORIZED))
                .hasMessageContaining("needs credentials");
    }
}
