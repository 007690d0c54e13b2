package dev.onnxserving.repository.oci;

import static dev.onnxserving.repository.oci.OciTesting.content;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.onnxserving.repository.source.ModelSource;
import dev.onnxserving.repository.source.SourceException;
import dev.onnxserving.repository.source.SourceException.Reason;
import dev.onnxserving.repository.source.SourceFile;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the OCI source does when the registry is down, stalls, or drops the connection mid-blob. */
class OciFaultTests {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration BOUND = Duration.ofSeconds(20);
    private static final byte[] MODEL = content(1_000_000, 7);

    @TempDir
    static Path folder;

    private static RegistryProcess registry;
    private static SourceFile model;
    private OciSourceFactory factory;

    @BeforeAll
    static void publish() throws Exception {
        registry = RegistryProcess.start(folder.resolve("registry"), "");
        new TestPublisher(registry.address()).push("team/iris", "1", Map.of("model.onnx", MODEL));
        OciSourceFactory direct = new OciSourceFactory(OciTesting.properties(registry.address(), null));
        model = direct.model(URI.create("oci://" + registry.address() + "/team/iris"))
                .version(1)
                .files()
                .get(0);
        direct.destroy();
    }

    @AfterAll
    static void stop() throws Exception {
        if (registry != null) {
            registry.close();
        }
    }

    @AfterEach
    void closeFactory() {
        if (factory != null) {
            factory.destroy();
        }
    }

    private ModelSource through(String address) {
        factory = new OciSourceFactory(
                OciTesting.properties(address, folder.resolve("none.json"), null, null, READ_TIMEOUT));
        return factory.model(URI.create("oci://" + address + "/team/iris"));
    }

    @Test
    void aRegistryThatIsDownIsUnreachable() throws Exception {
        ModelSource source = through("127.0.0.1:" + RegistryProcess.freePort());

        assertThatThrownBy(source::list)
                .isInstanceOfSatisfying(
                        SourceException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNREACHABLE))
                .hasMessageContaining("cannot connect");
    }

    @Test
    void aRegistryThatNeverAnswersTimesOut() throws Exception {
        try (FaultProxy proxy = new FaultProxy(registry.port(), FaultProxy.Fault.STALL, 0)) {
            ModelSource source = through(proxy.address());

            SourceException failure = assertTimeoutPreemptively(
                    BOUND, () -> org.junit.jupiter.api.Assertions.assertThrows(SourceException.class, source::list));
            assertThat(failure.reason()).isEqualTo(Reason.TIMEOUT);
        }
    }

    @Test
    void aBlobThatStallsMidwayTimesOut() throws Exception {
        try (FaultProxy proxy = new FaultProxy(registry.port(), FaultProxy.Fault.STALL, 300_000)) {
            ModelSource source = through(proxy.address());

            SourceException failure = assertTimeoutPreemptively(
                    BOUND,
                    () -> org.junit.jupiter.api.Assertions.assertThrows(
                            SourceException.class, () -> source.fetch(model, folder.resolve("stalled.onnx"))));
            assertThat(failure.reason()).isEqualTo(Reason.TIMEOUT);
            assertThat(failure).hasMessageContaining("no bytes of the response body arrived");
        }
    }

    @Test
    void aConnectionDroppedMidBlobFails() throws Exception {
        try (FaultProxy proxy = new FaultProxy(registry.port(), FaultProxy.Fault.CUT, 300_000)) {
            ModelSource source = through(proxy.address());

            SourceException failure = assertTimeoutPreemptively(
                    BOUND,
                    () -> org.junit.jupiter.api.Assertions.assertThrows(
                            SourceException.class, () -> source.fetch(model, folder.resolve("cut.onnx"))));
            assertThat(failure.reason()).isIn(Reason.UNREACHABLE, Reason.CORRUPT);
        }
    }

    @Test
    void theSameFetchWithoutFaultsSucceeds() throws Exception {
        ModelSource source = through(registry.address());
        Path target = folder.resolve("whole.onnx");

        source.fetch(model, target);

        assertThat(target).hasBinaryContent(MODEL);
    }
}
