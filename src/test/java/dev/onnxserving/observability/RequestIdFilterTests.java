package dev.onnxserving.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.util.StreamUtils;

class RequestIdFilterTests {

    private static final String BODY = "{\"instances\": [[5.1, 3.5, 1.4, 0.2]]}";

    private final RequestIdFilter filter = new RequestIdFilter(Tracer.NOOP, Propagator.NOOP);
    private final Logger requests = (Logger) LoggerFactory.getLogger(RequestIdFilter.REQUESTS_LOGGER);
    private final Logger bodies = (Logger) LoggerFactory.getLogger(RequestIdFilter.BODIES_LOGGER);
    private final ListAppender<ILoggingEvent> events = new ListAppender<>();

    @BeforeEach
    void captureLogs() {
        events.start();
        requests.addAppender(events); // the body logger is its child: its events arrive here too
    }

    @AfterEach
    void restoreLogs() {
        requests.detachAppender(events);
        requests.setLevel(null);
        bodies.setLevel(null);
        MDC.clear();
    }

    @Test
    void theRequestRunsWithItsIdInTheMdcAndTheResponseCarriesIt() throws Exception {
        MockHttpServletRequest request = post();
        request.addHeader("X-Request-Id", "abc-123");
        MockHttpServletResponse response = new MockHttpServletResponse();
        List<String> seenInMdc = new ArrayList<>();

        filter.doFilter(request, response, (req, res) -> seenInMdc.add(MDC.get(RequestIdFilter.MDC_KEY)));

        assertThat(seenInMdc).containsExactly("abc-123");
        assertThat(response.getHeader("X-Request-Id")).isEqualTo("abc-123");
        assertThat(MDC.get(RequestIdFilter.MDC_KEY)).isNull();
    }

    @Test
    void aRequestWithoutIdsGetsAGeneratedOne() throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();

        filter.doFilter(post(), response, (req, res) -> {});

        assertThat(response.getHeader("X-Request-Id")).matches("[0-9a-f]{32}");
    }

    @Test
    void theTraceIdOfATraceparentBecomesTheId() throws Exception {
        MockHttpServletRequest request = post();
        request.addHeader("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        MockHttpServletResponse response = new MockHttpServletResponse();

        filter.doFilter(request, response, (req, res) -> {});

        assertThat(response.getHeader("X-Request-Id")).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    }

    @Test
    void theMdcIsClearedAndTheHeaderSetEvenWhenTheRequestFails() {
        MockHttpServletResponse response = new MockHttpServletResponse();
        FilterChain failing = (req, res) -> {
            throw new ServletException("boom");
        };

        assertThatThrownBy(() -> filter.doFilter(post(), response, failing)).hasMessage("boom");
        assertThat(MDC.get(RequestIdFilter.MDC_KEY)).isNull();
        assertThat(response.getHeader("X-Request-Id")).isNotBlank();
    }

    @Test
    void logsNothingPerRequestAtTheDefaultLevel() throws Exception {
        requests.setLevel(Level.INFO);

        filter.doFilter(post(), new MockHttpServletResponse(), (req, res) -> {});

        assertThat(events.list).isEmpty();
    }

    @Test
    void atDebugLogsOneLinePerRequestWithTheIdAndNoBody() throws Exception {
        requests.setLevel(Level.DEBUG);
        bodies.setLevel(Level.DEBUG);
        MockHttpServletRequest request = post();
        request.addHeader("X-Request-Id", "abc-123");
        request.setQueryString("token=secret");
        MockHttpServletResponse response = new MockHttpServletResponse();

        filter.doFilter(request, response, (req, res) -> {
            StreamUtils.copyToString(req.getInputStream(), StandardCharsets.UTF_8);
            ((jakarta.servlet.http.HttpServletResponse) res).setStatus(201);
        });

        assertThat(events.list).singleElement().satisfies(event -> {
            assertThat(event.getFormattedMessage()).matches("POST /models/iris/predict -> 201 in \\d+ ms");
            assertThat(event.getMDCPropertyMap()).containsEntry(RequestIdFilter.MDC_KEY, "abc-123");
            assertThat(keyValues(event))
                    .containsEntry("http.request.method", "POST")
                    .containsEntry("url.path", "/models/iris/predict")
                    .containsEntry("http.response.status_code", 201)
                    .containsKey("event.duration");
        });
        assertThat(events.list.get(0).getFormattedMessage()).doesNotContain("5.1", "secret");
    }

    @Test
    void logsTheBodyOnlyWhenItsLoggerIsAskedForTrace() throws Exception {
        bodies.setLevel(Level.TRACE);
        MockHttpServletRequest request = post();

        filter.doFilter(request, new MockHttpServletResponse(), (req, res) -> {
            assertThat(StreamUtils.copyToString(req.getInputStream(), StandardCharsets.UTF_8))
                    .as("the application still reads the whole body")
                    .isEqualTo(BODY);
        });

        assertThat(events.list)
                .singleElement()
                .extracting(ILoggingEvent::getFormattedMessage)
                .isEqualTo("POST /models/iris/predict body (" + BODY.length() + " bytes logged): " + BODY);
    }

    @Test
    void aLoggedBodyIsCutAtTheLimit() throws Exception {
        bodies.setLevel(Level.TRACE);
        MockHttpServletRequest request = post();
        String large = "x".repeat(RequestIdFilter.MAX_LOGGED_BODY * 3);
        request.setContent(large.getBytes(StandardCharsets.UTF_8));

        filter.doFilter(
                request,
                new MockHttpServletResponse(),
                (req, res) -> assertThat(StreamUtils.copyToString(req.getInputStream(), StandardCharsets.UTF_8))
                        .hasSize(large.length()));

        assertThat(events.list.get(0).getFormattedMessage())
                .startsWith("POST /models/iris/predict body (" + RequestIdFilter.MAX_LOGGED_BODY
                        + " bytes logged, truncated): xxx")
                .hasSizeLessThan(RequestIdFilter.MAX_LOGGED_BODY + 100);
    }

    private static MockHttpServletRequest post() {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/models/iris/predict");
        request.setContentType("application/json");
        request.setContent(BODY.getBytes(StandardCharsets.UTF_8));
        return request;
    }

    private static Map<String, Object> keyValues(ILoggingEvent event) {
        return event.getKeyValuePairs().stream().collect(Collectors.toMap(pair -> pair.key, pair -> pair.value));
    }
}
