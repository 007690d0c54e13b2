package dev.onnxserving.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onnxserving.testing.BundledModelsServer;
import dev.onnxserving.testing.Http;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Errors the servlet container answers on its own (unknown Expect, a malformed request, an unknown path) and 415s
 * have the application's shapes: a problem document, and {@code {"error": ...}} under {@code /v2}.
 */
class ContainerErrorsTests extends BundledModelsServer {

    @LocalServerPort
    int port;

    private RawHttp.Answer raw(String request) throws IOException {
        try (RawHttp connection = new RawHttp(port)) {
            return connection.exchange(request);
        }
    }

    @ParameterizedTest
    @CsvSource({"/models/iris/predict, application/problem+json", "/v2/models/iris/infer, application/json"})
    void anUnknownExpectationIs417InThePathsShape(String path, String contentType) throws IOException {
        RawHttp.Answer answer = raw("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: a-miracle\r\n"
                + "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");

        assertThat(answer.status()).isEqualTo(417);
        assertThat(answer.header("Content-Type")).startsWith(contentType);
        String detail = path.startsWith("/v2")
                ? answer.json().get("error").asString()
                : answer.json().get("detail").asString();
        assertThat(detail).contains("100-continue");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "a header without a colon | GET /models HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\nThis is no header\\r\\n\\r\\n",
                "a broken percent-encoding | GET /models/%zz HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\n\\r\\n"
            })
    void aMalformedRequestIsAProblemDocumentNotHtml(String what, String request) throws IOException {
        RawHttp.Answer answer = raw(request.replace("\\r\\n", "\r\n"));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
        assertThat(answer.json().get("status").asInt()).isEqualTo(400);
        assertThat(answer.json().get("detail").asString()).contains("malformed");
        assertThat(answer.body()).doesNotContain("<html", "Tomcat");
    }

    @Test
    void aMalformedV2RequestIsTheProtocolsErrorShape() throws IOException {
        RawHttp.Answer answer = raw("GET /v2/models/%zz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.header("Content-Type")).startsWith("application/json");
        assertThat(answer.json().get("error").asString()).contains("malformed");
    }

    @Test
    void theErrorPageItselfAnswersAProblemDocument() {
        Http.Response answer = http().get("/error");

        assertThat(answer.status()).isEqualTo(500);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.detail()).isEqualTo("Internal Server Error");
    }

    @Test
    void anUnknownV2PathIsTheProtocolsErrorShape() {
        Http.Response answer = http().get("/v2/no/such/path");

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.contentType()).startsWith("application/json");
        assertThat(answer.json().get("error").asString()).isEqualTo("no resource at '/v2/no/such/path'");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "/models/iris/predict | application/json, multipart/form-data",
                "/v2/models/iris/infer | application/json, application/octet-stream"
            })
    void every415ListsTheMediaTypesTheEndpointTakes(String path, String accepted) {
        Http.Response answer =
                http().post(path, HttpRequest.BodyPublishers.ofString("x"), Map.of("Content-Type", "text/plain"));

        assertThat(answer.status()).isEqualTo(415);
        String detail = path.startsWith("/v2") ? answer.json().get("error").asString() : answer.detail();
        assertThat(detail).isEqualTo("Content-Type 'text/plain' is not supported here; send one of: " + accepted);
    }

    /** A declared charset is honoured or refused, never misread: only UTF-8 is read. */
    @ParameterizedTest
    @CsvSource({"utf-16, /models/iris/predict", "UTF-32, /models/iris/predict", "utf-16, /v2/models/iris/infer"})
    void aBodyDeclaredInAnotherCharsetIs415NamingUtf8(String charset, String path) {
        Http.Response answer = http().post(
                        path,
                        HttpRequest.BodyPublishers.ofString(Http.IRIS_BODY),
                        Map.of("Content-Type", "application/json; charset=" + charset));

        assertThat(answer.status()).as(answer.text()).isEqualTo(415);
        assertThat(answer.text())
                .contains("charset '" + charset + "' is not supported; send the body as UTF-8 (charset=utf-8, or no"
                        + " charset)");
    }

    @Test
    void aBodyDeclaredUtf8IsRead() {
        Http.Response answer = http().post(
                        "/models/iris/predict",
                        HttpRequest.BodyPublishers.ofString(Http.IRIS_BODY),
                        Map.of("Content-Type", "application/json; charset=UTF-8"));

        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
    }
}
