package dev.onnxserving.processors.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.BinaryNode;

class ImageInstancesTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final byte[] BYTES = "any file content".getBytes(StandardCharsets.US_ASCII);
    private static final String BASE64 = Base64.getEncoder().encodeToString(BYTES);

    @Test
    void readsTheBase64OfAJsonInstance() throws Exception {
        assertThat(ImageInstances.read(json("{'b64': '" + BASE64 + "'}"), "/instances/0"))
                .isEqualTo(BYTES);
    }

    @Test
    void readsTheBytesOfAnUploadedFile() throws Exception {
        assertThat(ImageInstances.read(BinaryNode.valueOf(BYTES), "/instances/0"))
                .isEqualTo(BYTES);
    }

    @Test
    void skipsLineBreaksOfWrappedBase64AndAcceptsMissingPadding() throws Exception {
        String wrapped = BASE64.substring(0, 8) + "\r\n" + BASE64.substring(8);
        byte[] two = {1, 2};

        assertThat(ImageInstances.decodeBase64(wrapped)).isEqualTo(BYTES);
        assertThat(ImageInstances.decodeBase64("AQI")).isEqualTo(two);
        assertThat(ImageInstances.decodeBase64("AQI=")).isEqualTo(two);
    }

    @Test
    void acceptsADataUrl() throws Exception {
        assertThat(ImageInstances.decodeBase64("data:image/png;base64," + BASE64))
                .isEqualTo(BYTES);
    }

    @Test
    void refusesTextThatIsNotBase64NamingTheCharacterAndPosition() {
        assertThatThrownBy(() -> ImageInstances.decodeBase64("abc!def"))
                .hasMessage(
                        "expected base64 (A-Z, a-z, 0-9, '+', '/', '=' padding), got the character '!' at position 3");
        assertThatThrownBy(() -> ImageInstances.decodeBase64("ab-_"))
                .hasMessage(
                        "expected base64 (A-Z, a-z, 0-9, '+', '/', '=' padding), got the character '-' at position 2");
        assertThatThrownBy(() -> ImageInstances.decodeBase64("AQ==AQ=="))
                .hasMessage(
                        "expected base64 (A-Z, a-z, 0-9, '+', '/', '=' padding), got 'A' after the '=' padding at position 4");
        assertThatThrownBy(() -> ImageInstances.decodeBase64("ABCDE"))
                .hasMessage("expected base64, got 5 base64 characters that do not make whole bytes (truncated or"
                        + " mis-padded)");
        assertThatThrownBy(() -> ImageInstances.decodeBase64(" \n"))
                .hasMessage("expected base64 of a PNG or JPEG file, got an empty string");
    }

    @Test
    void namesWhatIsWrongWithTheInstanceByPointer() {
        assertProblem(
                "'abc'",
                "/instances/2",
                "expected an object {\"b64\": \"<base64 of a PNG or JPEG file>\"}," + " got the string \"abc\"");
        assertProblem("{}", "/instances/2/b64", "missing field, expected the base64 of a PNG or JPEG file");
        assertProblem("{'b64': 7}", "/instances/2/b64", "expected a base64 string, got the number 7");
        assertProblem(
                "{'b64': '" + BASE64 + "', 'url': 'x'}", "/instances/2/url", "unknown field, expected only 'b64'");
        assertProblem(
                "{'b64': '%%%'}",
                "/instances/2/b64",
                "expected base64 (A-Z, a-z, 0-9, '+', '/', '=' padding), got the character '%' at position 0");
    }

    private static void assertProblem(String instance, String pointer, String detail) {
        assertThatThrownBy(() -> ImageInstances.read(json(instance), "/instances/2"))
                .isInstanceOfSatisfying(
                        ImageInstances.Problem.class,
                        problem -> assertThat(problem.pointer()).isEqualTo(pointer))
                .hasMessage(detail);
    }

    private static JsonNode json(String text) {
        return JSON.readTree(text.replace('\'', '"'));
    }
}
