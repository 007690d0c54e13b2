package dev.onnxserving.repository.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onnxserving.repository.source.SourceException;
import dev.onnxserving.repository.source.SourceException.Reason;
import dev.onnxserving.repository.source.SourceFile;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

class OciManifestTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String DIGEST = "sha256:" + "0a".repeat(32);

    private static byte[] manifest(String mediaType, String layers) {
        return ("{\"schemaVersion\":2,\"mediaType\":\"" + mediaType + "\",\"config\":{},\"layers\":[" + layers + "]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static String layer(String digest, String annotations) {
        return "{\"mediaType\":\"application/octet-stream\",\"digest\":\"" + digest + "\",\"size\":12"
                + (annotations.isEmpty() ? "" : ",\"annotations\":{" + annotations + "}") + "}";
    }

    private static String titled(String title) {
        return layer(DIGEST, "\"org.opencontainers.image.title\":" + JSON.writeValueAsString(title));
    }

    @ParameterizedTest
    @ValueSource(strings = {"model.onnx", "assets/vocab.txt", "a/b/c-1_2.bin", "tokenizer.json"})
    void safeTitlesNameFiles(String title) {
        assertThat(OciManifest.files(manifest(OciManifest.OCI_MANIFEST, titled(title)), null, "reading", JSON))
                .containsExactly(new SourceFile(title, 12, DIGEST, DIGEST));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"../model.onnx", "a/../../b", "/etc/passwd", ".hidden", "a//b", "a/", "a\\b", "a\nb", "a/./b"})
    void unsafeTitlesAreInvalid(String title) {
        assertThatThrownBy(() ->
                        OciManifest.files(manifest(OciManifest.OCI_MANIFEST, titled(title)), null, "reading", JSON))
                .isInstanceOfSatisfying(
                        SourceException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID))
                .hasMessageContaining("unsafe title");
    }

    @Test
    void aDockerManifestIsReadLikeAnOciOne() {
        assertThat(OciManifest.files(manifest(OciManifest.DOCKER_MANIFEST, titled("model.onnx")), null, "r", JSON))
                .hasSize(1);
    }

    @Test
    void whatIsNotAnArtifactOfTitledFilesIsInvalidSayingWhy() {
        assertInvalid(manifest(OciManifest.OCI_MANIFEST, layer(DIGEST, "")), "has no org.opencontainers.image.title");
        assertInvalid(manifest(OciManifest.OCI_MANIFEST, layer("sha512:" + "ab".repeat(64), "")), "not sha256");
        assertInvalid(
                manifest(OciManifest.OCI_MANIFEST, titled("model.onnx") + "," + titled("model.onnx")),
                "two layers have the title 'model.onnx'");
        assertInvalid("{\"schemaVersion\":2,\"manifests\":[]}".getBytes(StandardCharsets.UTF_8), "image index");
        assertInvalid(manifest("application/vnd.oci.image.index.v1+json", ""), "image index");
        assertInvalid(
                manifest(
                        OciManifest.OCI_MANIFEST,
                        layer(
                                DIGEST,
                                "\"org.opencontainers.image.title\":\"dir\",\"io.deis.oras.content.unpack\":\"true\"")),
                "packed folder");
        assertInvalid(
                manifest("application/vnd.docker.distribution.manifest.v1+json", ""), "unsupported manifest type");
        assertInvalid("not json".getBytes(StandardCharsets.UTF_8), "not JSON");
    }

    private static void assertInvalid(byte[] manifest, String problem) {
        assertThatThrownBy(() -> OciManifest.files(manifest, null, "reading version 1", JSON))
                .isInstanceOfSatisfying(
                        SourceException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID))
                .hasMessageStartingWith("reading version 1: ")
                .hasMessageContaining(problem);
    }
}
