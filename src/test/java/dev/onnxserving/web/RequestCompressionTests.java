package dev.onnxserving.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onnxserving.testing.BundledModelsServer;
import dev.onnxserving.testing.Http;
import dev.onnxserving.testing.V2Binary;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Compressed request bodies as the Triton client sends them (the whole body, JSON and binary tensors, compressed;
 * {@code Inference-Header-Content-Length} the uncompressed JSON length; {@code deflate} zlib-wrapped), raw deflate,
 * codings that are refused, decompression bombs, and compressed answers.
 */
class RequestCompressionTests extends BundledModelsServer {

    private static final String V2_IRIS =
            "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\"," + "\"data\":[5.1,3.5,1.4,0.2]}]}";

    enum Coding {
        GZIP("gzip"),
        ZLIB_DEFLATE("deflate"),
        RAW_DEFLATE("deflate");

        final String header;

        Coding(String header) {
            this.header = header;
        }

        byte[] compress(byte[] plain) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (var compressing = switch (this) {
                case GZIP -> new GZIPOutputStream(out);
                case ZLIB_DEFLATE -> new DeflaterOutputStream(out, new Deflater(Deflater.DEFAULT_COMPRESSION, false));
                case RAW_DEFLATE -> new DeflaterOutputStream(out, new Deflater(Deflater.DEFAULT_COMPRESSION, true));
            }) {
                compressing.write(plain);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out.toByteArray();
        }
    }

    private Http.Response send(String path, byte[] body, String contentType, String coding) {
        return http().post(path, body, Map.of("Content-Type", contentType, "Content-Encoding", coding));
    }

    @ParameterizedTest
    @ValueSource(strings = {"GZIP", "ZLIB_DEFLATE", "RAW_DEFLATE"})
    void aCompressedPredictBodyIsDecompressed(Coding coding) {
        Http.Response answer = send(
                "/models/iris/predict",
                coding.compress(Http.IRIS_BODY.getBytes(StandardCharsets.UTF_8)),
                "application/json",
                coding.header);

        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        assertThat(answer.json().at("/predictions/0/label").asString()).isEqualTo("setosa");
    }

    @ParameterizedTest
    @ValueSource(strings = {"GZIP", "ZLIB_DEFLATE", "RAW_DEFLATE"})
    void aCompressedV2JsonBodyIsDecompressed(Coding coding) {
        Http.Response answer = send(
                "/v2/models/iris/infer",
                coding.compress(V2_IRIS.getBytes(StandardCharsets.UTF_8)),
                "application/json",
                coding.header);

        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        assertThat(answer.json().at("/outputs/0/name").isMissingNode()).isFalse();
    }

    /** As Triton's client: the header and the binary tensor compressed together, the header length uncompressed. */
    @ParameterizedTest
    @ValueSource(strings = {"GZIP", "ZLIB_DEFLATE"})
    void aCompressedV2BinaryBodyUsesTheUncompressedHeaderLength(Coding coding) {
        V2Binary.Body body = V2Binary.body(
                Map.of(
                        "inputs",
                        List.of(Map.of(
                                "name",
                                "input",
                                "shape",
                                List.of(1, 4),
                                "datatype",
                                "FP32",
                                "parameters",
                                Map.of("binary_data_size", 16)))),
                List.of(V2Binary.floats(5.1f, 3.5f, 1.4f, 0.2f)));
        Map<String, String> headers = new HashMap<>(body.headers("application/octet-stream"));
        headers.put("Content-Encoding", coding.header);

        Http.Response answer = http().post("/v2/models/iris/infer", coding.compress(body.bytes()), headers);

        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        assertThat(answer.json().at("/outputs/0/name").isMissingNode()).isFalse();
    }

    @Test
    void anUnsupportedCodingIs415NamingTheSupportedOnes() {
        Http.Response predict =
                send("/models/iris/predict", Http.IRIS_BODY.getBytes(StandardCharsets.UTF_8), "application/json", "br");
        Http.Response v2 =
                send("/v2/models/iris/infer", V2_IRIS.getBytes(StandardCharsets.UTF_8), "application/json", "br");

        assertThat(predict.status()).isEqualTo(415);
        assertThat(predict.contentType()).startsWith("application/problem+json");
        assertThat(predict.detail())
                .isEqualTo("Content-Encoding 'br' is not supported; send the body with one of:"
                        + " gzip, deflate, identity");
        assertThat(v2.status()).isEqualTo(415);
        assertThat(v2.json().get("error").asString()).startsWith("Content-Encoding 'br' is not supported");
    }

    @Test
    void aCorruptCompressedBodyIsABadRequest() {
        byte[] truncated = Coding.GZIP.compress(Http.IRIS_BODY.getBytes(StandardCharsets.UTF_8));
        truncated = java.util.Arrays.copyOf(truncated, truncated.length / 2);

        Http.Response cut = send("/models/iris/predict", truncated, "application/json", "gzip");
        Http.Response plain =
                send("/v2/models/iris/infer", V2_IRIS.getBytes(StandardCharsets.UTF_8), "application/json", "gzip");

        assertThat(cut.status()).as(cut.text()).isEqualTo(400);
        assertThat(cut.detail())
                .isEqualTo(
                        "request body is not valid gzip data (Content-Encoding: gzip): the compressed data ends early");
        assertThat(plain.status()).as(plain.text()).isEqualTo(400);
        assertThat(plain.json().get("error").asString())
                .startsWith("request body is not valid gzip data (Content-Encoding: gzip): ");
    }

    /** 11 MB of zeros compress to a few kilobytes; the 10 MB limit applies to what they decompress to. */
    @ParameterizedTest
    @ValueSource(strings = {"/models/iris/predict", "/v2/models/iris/infer"})
    void aDecompressionBombIs413(String path) {
        byte[] bomb = new byte[11 * 1024 * 1024];
        java.util.Arrays.fill(bomb, (byte) ' ');
        System.arraycopy("{\"inputs\":".getBytes(StandardCharsets.UTF_8), 0, bomb, 0, 10);
        byte[] compressed = Coding.GZIP.compress(bomb);
        assertThat(compressed.length).isLessThan(100_000);

        Http.Response answer = send(path, compressed, "application/json", "gzip");

        assertThat(answer.status()).as(answer.text()).isEqualTo(413);
        assertThat(answer.text()).contains("larger than the limit of 10485760 bytes");
    }

    @Test
    void aCompressedUploadIs415() {
        Http.Response answer = send(
                "/models/iris/predict",
                Coding.GZIP.compress("--b\r\n\r\n--b--\r\n".getBytes(StandardCharsets.US_ASCII)),
                "multipart/form-data; boundary=b",
                "gzip");

        assertThat(answer.status()).isEqualTo(415);
        assertThat(answer.detail()).contains("compressed multipart/form-data body is not supported");
    }

    @Test
    void largeAnswersAreCompressedForClientsThatAcceptItSmallOnesAreNot() throws IOException {
        Http.Response large = http().get("/v3/api-docs", "Accept-Encoding", "gzip");
        Http.Response small = http().get("/v2/health/live", "Accept-Encoding", "gzip");
        Http.Response refused = http().get("/v3/api-docs");

        assertThat(large.status()).isEqualTo(200);
        assertThat(large.header("Content-Encoding")).isEqualTo("gzip");
        try (var unzipped = new GZIPInputStream(new java.io.ByteArrayInputStream(large.body()))) {
            assertThat(Http.JSON.readTree(unzipped.readAllBytes()).has("paths")).isTrue();
        }
        assertThat(small.header("Content-Encoding")).isNull();
        assertThat(refused.header("Content-Encoding")).isNull();
        assertThat(refused.json().has("paths")).isTrue();
    }
}
