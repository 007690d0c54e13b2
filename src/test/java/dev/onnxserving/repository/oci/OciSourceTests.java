package dev.onnxserving.repository.oci;

import static dev.onnxserving.repository.oci.OciTesting.bytes;
import static dev.onnxserving.repository.oci.OciTesting.content;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onnxserving.repository.source.ModelSource;
import dev.onnxserving.repository.source.SourceException;
import dev.onnxserving.repository.source.SourceException.Reason;
import dev.onnxserving.repository.source.SourceFile;
import dev.onnxserving.repository.source.SourceListing;
import dev.onnxserving.repository.source.SourceVersion;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/** The OCI source against a real, anonymous registry: listings, versions, fetches and what it refuses. */
class OciSourceTests {

    @TempDir
    static Path folder;

    private static RegistryProcess registry;
    private static TestPublisher publisher;
    private static OciSourceFactory factory;
    private static final byte[] MODEL_V1 = content(50_000, 1);
    private static final byte[] MODEL_V2 = content(70_000, 2);
    private static String version2Digest;

    @BeforeAll
    static void publish() throws Exception {
        registry = RegistryProcess.start(folder.resolve("registry"), "");
        publisher = new TestPublisher(registry.address());
        publisher.push("team/iris", "1", Map.of("model.onnx", MODEL_V1));
        Map<String, byte[]> version2 = new LinkedHashMap<>();
        version2.put("model.onnx", MODEL_V2);
        version2.put("assets/vocab.txt", bytes("a\nb\n"));
        version2Digest = publisher.push("team/iris", "2", version2);
        Map<String, byte[]> modelFiles = new LinkedHashMap<>();
        modelFiles.put("model.yaml", bytes("kind: tabular\n"));
        modelFiles.put("labels.txt", bytes("setosa\nversicolor\n"));
        publisher.push("team/iris", OciModelSource.MODEL_FILES_TAG, modelFiles);
        publisher.push("team/iris", "latest", Map.of("model.onnx", MODEL_V2));
        publisher.push("team/iris", "07", Map.of("model.onnx", MODEL_V2));
        publisher.push("team/plain", "4", Map.of("model.onnx", MODEL_V1));
        publisher.push("team/deeper/nested", "1", Map.of("model.onnx", MODEL_V1));
        publisher.push("other/iris", "1", Map.of("model.onnx", MODEL_V1));
        factory = new OciSourceFactory(OciTesting.properties(registry.address(), folder.resolve("none.json")), 2);
    }

    @AfterAll
    static void stop() throws Exception {
        if (factory != null) {
            factory.destroy();
        }
        if (registry != null) {
            registry.close();
        }
    }

    private static ModelSource source(String repository) {
        return factory.model(URI.create("oci://" + registry.address() + "/" + repository));
    }

    @Test
    void listsTheNumericTagsAsVersionsAndTheModelTagAsTheModelFiles() {
        SourceListing listing = source("team/iris").list();

        assertThat(listing.versions()).containsExactly(1L, 2L);
        assertThat(listing.modelFiles()).extracting(SourceFile::path).containsExactly("model.yaml", "labels.txt");
        assertThat(listing.modelFiles())
                .allSatisfy(file -> assertThat(file.digest()).matches("sha256:[0-9a-f]{64}"));
    }

    @Test
    void aModelWithoutTheModelTagHasNoModelFiles() {
        SourceListing listing = source("team/plain").list();

        assertThat(listing.versions()).containsExactly(4L);
        assertThat(listing.modelFiles()).isEmpty();
    }

    @Test
    void aVersionIsItsManifestDigestAndItsTitledLayers() throws Exception {
        SourceVersion version = source("team/iris").version(2);

        assertThat(version.digest()).isEqualTo(version2Digest);
        assertThat(version.files())
                .extracting(SourceFile::path, SourceFile::size, SourceFile::digest)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "model.onnx", (long) MODEL_V2.length, TestPublisher.sha256(MODEL_V2)),
                        org.assertj.core.groups.Tuple.tuple(
                                "assets/vocab.txt", 4L, TestPublisher.sha256(bytes("a\nb\n"))));
    }

    @Test
    void fetchStreamsTheBlobToTheTargetAndReplacesWhatWasThere() throws Exception {
        ModelSource source = source("team/iris");
        SourceFile model = source.version(1).files().get(0);
        Path target = Files.writeString(folder.resolve("fetched.onnx"), "old content");

        source.fetch(model, target);

        assertThat(target).hasBinaryContent(MODEL_V1);
    }

    @Test
    void aMissingTagOrRepositoryIsNotFound() {
        assertThatThrownBy(() -> source("team/iris").version(9))
                .isInstanceOfSatisfying(
                        SourceException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND))
                .hasMessageContaining("version 9 of oci://" + registry.address() + "/team/iris")
                .hasMessageContaining("404");
        assertThatThrownBy(() -> source("team/absent").list())
                .isInstanceOfSatisfying(
                        SourceException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND));
    }

    @Test
    void aMissingBlobIsNotFound() {
        SourceFile absent = new SourceFile("model.onnx", 3, "sha256:" + "ab".repeat(32), "sha256:" + "ab".repeat(32));

        assertThatThrownBy(() -> source("team/iris").fetch(absent, folder.resolve("absent.onnx")))
                .isInstanceOfSatisfying(
                        SourceException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND));
    }

    @Test
    void anImageIndexIsRefusedAsNotAnArtifact() throws Exception {
        byte[] manifest = publisher.manifest("team/indexed", Map.of("model.onnx", MODEL_V1));
        String manifestDigest = publisher.putManifest("team/indexed", "1", manifest, OciManifest.OCI_MANIFEST);
        Map<String, Object> index = Map.of(
                "schemaVersion",
                2,
                "mediaType",
                "application/vnd.oci.image.index.v1+json",
                "manifests",
                List.of(TestPublisher.descriptor(OciManifest.OCI_MANIFEST, manifestDigest, manifest.length, Map.of())));
        publisher.putManifest(
                "team/indexed",
                "2",
                JsonMapper.builder().build().writeValueAsBytes(index),
                "application/vnd.oci.image.index.v1+json");

        assertThat(source("team/indexed").version(1).files()).hasSize(1);
        assertThatThrownBy(() -> source("team/indexed").version(2))
                .isInstanceOfSatisfying(
                        SourceException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID))
                .hasMessageContaining("image index");
    }

    @Test
    void aLayerWithAnUnsafeTitleIsRefused() throws Exception {
        publisher.push("team/unsafe", "1", Map.of("../../etc/passwd", bytes("root")));

        assertThatThrownBy(() -> source("team/unsafe").version(1))
                .isInstanceOfSatisfying(
                        SourceException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID))
                .hasMessageContaining("unsafe title '../../etc/passwd'");
    }

    @Test
    void aBlobAlteredOnTheRegistrysDiskIsCorrupt() throws Exception {
        byte[] original = content(20_000, 3);
        publisher.push("team/altered", "1", Map.of("model.onnx", original));
        ModelSource source = source("team/altered");
        SourceFile model = source.version(1).files().get(0);
        byte[] flipped = original.clone();
        flipped[12_345] ^= 0x01;
        Files.write(registry.blobFile(model.locator()), flipped);

        assertThatThrownBy(() -> source.fetch(model, folder.resolve("altered.onnx")))
                .isInstanceOfSatisfying(
                        SourceException.class, e -> assertThat(e.reason()).isEqualTo(Reason.CORRUPT))
                .hasMessageContaining("expected " + model.digest());

        Files.write(registry.blobFile(model.locator()), java.util.Arrays.copyOf(original, 10_000));
        assertThatThrownBy(() -> source.fetch(model, folder.resolve("short.onnx")))
                .isInstanceOfSatisfying(
                        SourceException.class, e -> assertThat(e.reason()).isEqualTo(Reason.CORRUPT));
    }

    @Test
    void thousandsOfTagsAreAllListed() throws Exception {
        byte[] manifest = publisher.manifest("team/many", Map.of("model.onnx", bytes("tiny")));
        int count = 2_100;
        java.util.concurrent.ExecutorService pushers = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<String>> tagged = new java.util.ArrayList<>();
            for (int version = 1; version <= count; version++) {
                String tag = Integer.toString(version);
                tagged.add(pushers.submit(
                        () -> publisher.putManifest("team/many", tag, manifest, OciManifest.OCI_MANIFEST)));
            }
            for (java.util.concurrent.Future<String> tag : tagged) {
                tag.get(60, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            pushers.shutdownNow();
        }

        SourceListing listing = source("team/many").list();

        assertThat(listing.versions()).hasSize(count);
        assertThat(listing.versions().first()).isEqualTo(1L);
        assertThat(listing.versions().last()).isEqualTo((long) count);
    }

    @Test
    void modelsAreTheRepositoriesDirectlyBelowTheLocationThroughEveryCatalogPage() {
        assertThat(factory.models(URI.create("oci://" + registry.address() + "/team")))
                .contains("iris", "plain")
                .doesNotContain("deeper", "nested", "deeper/nested");
        assertThat(factory.models(URI.create("oci://" + registry.address() + "/other")))
                .containsExactly("iris");
    }

    @Test
    void aLocationThatIsNotAnOciRepositoryIsInvalid() {
        for (String location : List.of(
                "oci://" + "user:secret@" + "127.0.0.1:1/team/iris",
                "oci://127.0.0.1:1/Team/Iris",
                "oci://127.0.0.1:1")) {
            assertThatThrownBy(() -> factory.model(URI.create(location)))
                    .isInstanceOfSatisfying(
                            SourceException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID))
                    .hasMessageNotContaining("secret");
        }
    }
}
