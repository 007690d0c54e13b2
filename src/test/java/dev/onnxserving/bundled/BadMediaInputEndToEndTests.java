package dev.onnxserving.bundled;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onnxserving.testing.Http;
import dev.onnxserving.testing.Http.Part;
import dev.onnxserving.testing.Images;
import dev.onnxserving.testing.ServingEndToEndTest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Broken images and texts sent to the bundled models: each a 400 (or 413) with a precise message, never a 5xx. */
@ServingEndToEndTest
class BadMediaInputEndToEndTests {

    private static final String DIGITS = "/models/digits/predict";
    private static final String ORIENTATION = "/models/text-orientation/predict";
    private static final String MINILM = "/models/minilm/predict";

    @Autowired
    private Http http;

    @Test
    void refusesAStringThatIsNotBase64() {
        Http.Response answer = http.postJson(DIGITS, "{\"instances\": [{\"b64\": \"iVBORw0KGgo=?!\"}]}");

        assertBadRequest(
                answer,
                "/instances/0/b64: expected base64 (A-Z, a-z, 0-9, '+', '/', '=' padding), got the character '?' at"
                        + " position 12");
        assertThat(answer.json().get("errors").get(0).get("pointer").asString()).isEqualTo("/instances/0/b64");
    }

    @Test
    void refusesBytesThatAreNotAnImage() {
        String notAnImage =
                Base64.getEncoder().encodeToString("%PDF-1.7 not an image".getBytes(StandardCharsets.UTF_8));

        assertBadRequest(
                http.postJson(ORIENTATION, "{\"instances\": [{\"b64\": \"" + notAnImage + "\"}]}"),
                "/instances/0: expected a PNG or JPEG image, got 21 bytes that are neither (they begin with 25 50 44"
                        + " 46)");
    }

    @Test
    void refusesAnImageOfZeroByZeroPixels() {
        assertBadRequest(
                http.postJson(DIGITS, Http.instances(List.of(Images.b64(Images.blackPng(0, 0))))),
                "/instances/0: the image is 0x0 pixels; expected at least 1x1");
    }

    @Test
    void refusesADecompressionBombFromItsHeaderBeforeDecodingIt() {
        byte[] bomb = Images.blackPng(20_000, 20_000);
        assertThat(bomb.length).isLessThan(600_000);

        assertBadRequest(
                http.postJson(ORIENTATION, Http.instances(List.of(Images.b64(bomb)))),
                "/instances/0: the image is 20000x20000 = 400000000 pixels, more than the limit of 40000000"
                        + " (max-pixels)");
        assertBadRequest(
                http.postMultipart(DIGITS, List.of(Part.file("image", "bomb.png", bomb))),
                "/instances/0: the image is 20000x20000 = 400000000 pixels, more than the limit of 40000000"
                        + " (max-pixels)");
    }

    @Test
    void refusesAnImageInAFormatOtherThanPngOrJpeg() {
        byte[] gif = Images.encode(Images.filled(4, 4, 0, 0, 0), "gif");

        assertBadRequest(
                http.postMultipart(DIGITS, List.of(Part.file("image", "a.gif", gif))),
                "/instances/0: expected a PNG or JPEG image, got a GIF image");
    }

    @Test
    void refusesAnEmptyText() {
        assertBadRequest(
                http.postJson(MINILM, "{\"instances\": [\"fine\", \"\"]}"),
                "/instances/1: expected a non-empty text, got an empty string");
    }

    @Test
    void refusesATextOfOnlyWhitespace() {
        assertBadRequest(
                http.postJson(MINILM, "{\"instances\": [\" \\n\\t \"]}"),
                "/instances/0: the text has no tokens: it holds only whitespace or characters the tokenizer drops");
    }

    @Test
    void servesAMegabyteOfTextTruncated() {
        String text = "a long text ".repeat(90_000);

        Http.Response answer = http.postJson(MINILM, Http.instances(List.of(text)));

        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        assertThat(answer.json().get("predictions").get(0).get("embedding")).hasSize(384);
    }

    @Test
    void refusesARequestBodyThatIsNotUtf8() {
        byte[] latin1 = "{\"instances\": [\"café\"]}".getBytes(StandardCharsets.ISO_8859_1);

        Http.Response answer = http.postJson(MINILM, latin1);

        assertBadRequest(
                answer, "request body is not valid UTF-8 at line 1, column 22: byte 0x22 cannot continue a character");
    }

    @Test
    void refusesAnUploadedTextThatIsNotUtf8() {
        byte[] latin1 = "café".getBytes(StandardCharsets.ISO_8859_1);

        assertBadRequest(
                http.postMultipart(MINILM, List.of(Part.file("text", "cafe.txt", latin1))),
                "/instances/0: expected UTF-8 text, got a file of 4 bytes that is not UTF-8 (byte 0xe9 at offset 3)");
    }

    @Test
    void refusesATextWithAnUnpairedSurrogate() {
        assertBadRequest(
                http.postJson(MINILM, "{\"instances\": [\"ab\\ud800\"]}"),
                "/instances/0: expected valid Unicode text, got an unpaired surrogate \\uD800 at character 2");
    }

    @Test
    void refusesAMalformedMultipartBody() {
        Http.Response answer = http.postBytes(
                DIGITS, "multipart/form-data", "no boundary to split at".getBytes(StandardCharsets.US_ASCII));

        assertThat(answer.status()).as(answer.text()).isEqualTo(400);
        assertThat(answer.detail()).startsWith("malformed multipart/form-data body: ");
        assertThat(answer.text()).doesNotContain("Exception", "java.");
    }

    @Test
    void refusesAMultipartBodyWithoutFilesOrWithUnknownFields() {
        assertBadRequest(
                http.postMultipart(DIGITS, List.of(Part.field("parameters", "{}"))),
                "/instances: expected at least one file part (curl -F 'file=@image.png'), got none");
        assertBadRequest(
                http.postMultipart(DIGITS, List.of(Part.field("colour", "red"))),
                "/colour: unknown form field 'colour'; expected file parts (one instance each) and optionally a"
                        + " 'parameters' field holding a JSON object");
        assertBadRequest(
                http.postMultipart(
                        DIGITS,
                        List.of(
                                Part.file("image", "seven.png", Images.blackPng(8, 8)),
                                Part.field("parameters", "{\"top_k\": 0}"))),
                "/parameters/top_k: expected a whole number of at least 1, got 0");
    }

    @Test
    void refusesAnUploadLargerThanTheRequestLimitWith413() {
        String answer = http.postHeadOnly(DIGITS, "multipart/form-data; boundary=b", 11L * 1024 * 1024);

        assertThat(answer).startsWith("HTTP/1.1 413");
        assertThat(answer)
                .contains("\"detail\":\"request body is larger than the limit of 10485760 bytes"
                        + " (serving.limits.max-request-size)\"");
    }

    private static void assertBadRequest(Http.Response answer, String detail) {
        assertThat(answer.status()).as(answer.text()).isEqualTo(400);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.detail()).isEqualTo(detail);
        assertThat(answer.text()).doesNotContain("Exception", "java.", "/work/");
    }
}
