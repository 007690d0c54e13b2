package dev.onnxserving.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.onnxserving.testing.Http;
import dev.onnxserving.testing.ServingEndToEndTest;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.otlp.OtlpTracingConnectionDetails;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * The spans of batched requests through the whole service, read from OpenTelemetry's in-memory exporter with every
 * trace sampled: the server span of each request with its stage children, one batch span linked to the requests it
 * carried, {@code traceparent} in and out, and trace ids as exemplars in the OpenMetrics scrape. Iris batches up to
 * four requests and waits up to a second for them, so concurrent requests share batches.
 */
@ServingEndToEndTest(
        properties = {
            "management.tracing.sampling.probability=1.0",
            "serving.models.iris.batching.max-batch-size=4",
            "serving.models.iris.batching.max-delay=1s"
        })
class TracingEndToEndTests {

    private static final String PREDICT = "/models/iris/versions/2/predict";
    private static final AttributeKey<String> MODEL = AttributeKey.stringKey("serving.model");
    private static final AttributeKey<String> VERSION = AttributeKey.stringKey("serving.model.version");
    private static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("serving.outcome");
    private static final AttributeKey<Long> REQUESTS = AttributeKey.longKey("serving.batch.requests");
    private static final Pattern TRACEPARENT = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-01");
    private static final Pattern EXEMPLAR_TRACE_ID = Pattern.compile("# \\{[^}]*trace_id=\"([0-9a-f]{32})\"");

    /** Every trace id this class's requests answered with, whichever test sent them. */
    private static final Set<String> ANSWERED_TRACES = ConcurrentHashMap.newKeySet();

    @TestConfiguration(proxyBeanMethods = false)
    static class FinishedSpans {
        @Bean
        InMemorySpanExporter inMemorySpanExporter() {
            return InMemorySpanExporter.create();
        }
    }

    @Autowired
    Http http;

    @Autowired
    InMemorySpanExporter spans;

    @Autowired
    SdkTracerProvider tracerProvider;

    @Autowired
    ApplicationContext context;

    private final ExecutorService threads = Executors.newFixedThreadPool(8);

    @BeforeEach
    void forgetEarlierSpans() {
        tracerProvider.forceFlush().join(10, TimeUnit.SECONDS);
        spans.reset();
    }

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    @Test
    void eachRequestHasItsStagesAndEveryBatchIsOneSpanLinkedToTheRequestsItCarried() throws Exception {
        List<Http.Response> responses = sendTogether(8, Map.of());
        Set<String> traces = responses.stream().map(this::traceIdOf).collect(Collectors.toSet());
        assertThat(traces).hasSize(8);

        List<SpanData> finished = awaitSpans(traces);
        Set<String> inferenceSpans = new HashSet<>();
        for (String trace : traces) {
            List<SpanData> ofTrace = inTrace(finished, trace);
            SpanData server = only(ofTrace, span -> span.getKind() == SpanKind.SERVER);
            assertThat(server.getName()).isEqualTo("http post /models/{model}/versions/{version}/predict");
            assertThat(server.getParentSpanContext().isValid()).isFalse();
            assertThat(server.getAttributes().get(MODEL)).isEqualTo("iris");
            assertThat(server.getAttributes().get(VERSION)).isEqualTo("2");
            assertThat(server.getAttributes().get(OUTCOME)).isEqualTo("success");

            SpanData inference = null;
            for (String stage : List.of("serving.preprocess", "serving.inference", "serving.postprocess")) {
                SpanData child = only(ofTrace, span -> span.getName().equals(stage));
                assertThat(child.getParentSpanId()).as(stage).isEqualTo(server.getSpanId());
                assertThat(child.getAttributes().get(MODEL)).isEqualTo("iris");
                assertThat(child.getAttributes().get(VERSION)).isEqualTo("2");
                if (stage.equals("serving.inference")) {
                    inference = child;
                }
            }
            SpanData queue = only(ofTrace, span -> span.getName().equals("serving.queue"));
            assertThat(queue.getParentSpanId()).isEqualTo(inference.getSpanId());
            assertThat(ofTrace).as("spans of trace %s", trace).hasSize(5);
            inferenceSpans.add(inference.getSpanId());
        }

        List<SpanData> batches = finished.stream()
                .filter(span -> span.getName().equals("serving.batch"))
                .filter(span -> span.getLinks().stream()
                        .anyMatch(link -> traces.contains(link.getSpanContext().getTraceId())))
                .toList();
        List<String> linked = new ArrayList<>();
        for (SpanData batch : batches) {
            assertThat(batch.getParentSpanContext().isValid()).isFalse();
            assertThat(traces).doesNotContain(batch.getTraceId());
            assertThat(batch.getAttributes().get(MODEL)).isEqualTo("iris");
            assertThat(batch.getAttributes().get(VERSION)).isEqualTo("2");
            assertThat(batch.getAttributes().get(REQUESTS))
                    .isEqualTo(batch.getLinks().size());
            batch.getLinks().stream().map(LinkData::getSpanContext).forEach(link -> linked.add(link.getSpanId()));
        }
        assertThat(linked)
                .as("each request's span, linked by exactly one batch")
                .containsExactlyInAnyOrderElementsOf(inferenceSpans);
        assertThat(batches).as("batches of the 8 requests").hasSizeLessThan(8);
    }

    @Test
    void anIncomingTraceparentBecomesTheParentAndTheResponseNamesTheTrace() throws Exception {
        String traceId = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE))
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        String parentId = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE));

        Http.Response response = sendTogether(
                        1, Map.of("traceparent", "00-" + traceId + "-" + parentId + "-01", "tracestate", "vendor=a1"))
                .get(0);

        Matcher answered = TRACEPARENT.matcher(response.header("traceparent"));
        assertThat(answered.matches()).as(response.header("traceparent")).isTrue();
        assertThat(answered.group(1)).isEqualTo(traceId);
        assertThat(response.header("tracestate")).isEqualTo("vendor=a1");
        assertThat(response.header("X-Request-Id")).isEqualTo(traceId);
        SpanData server =
                only(inTrace(awaitSpans(Set.of(traceId)), traceId), span -> span.getKind() == SpanKind.SERVER);
        assertThat(server.getParentSpanId()).isEqualTo(parentId);
        assertThat(server.getParentSpanContext().isRemote()).isTrue();
        assertThat(server.getSpanId()).isEqualTo(answered.group(2));
    }

    @Test
    void aRequestWithoutTraceparentIsKnownByItsTraceId() throws Exception {
        Http.Response response = sendTogether(1, Map.of()).get(0);

        assertThat(response.header("X-Request-Id")).isEqualTo(traceIdOf(response));
    }

    @Test
    void aCallersSafeRequestIdIsKeptAndTheResponseStillNamesTheTrace() throws Exception {
        Http.Response response =
                sendTogether(1, Map.of("X-Request-Id", "order-42")).get(0);

        assertThat(response.header("X-Request-Id")).isEqualTo("order-42");
        assertThat(response.header("traceparent")).matches(TRACEPARENT.pattern());
    }

    @Test
    void sampledRequestsLeaveTheirTraceIdsAsExemplarsOnTheLatencyHistogram() throws Exception {
        sendTogether(4, Map.of());

        String scrape = http.get("/actuator/prometheus", "Accept", "application/openmetrics-text; version=1.0.0")
                .text();

        List<String> exemplars = scrape.lines()
                .filter(line -> line.startsWith("serving_request_duration_seconds_bucket{"))
                .map(EXEMPLAR_TRACE_ID::matcher)
                .filter(Matcher::find)
                .map(found -> found.group(1))
                .toList();
        assertThat(exemplars).isNotEmpty();
        assertThat(ANSWERED_TRACES).containsAll(exemplars);
    }

    @Test
    void withoutAnOtlpEndpointNoExporterButTheTestsOwnIsCreated() {
        assertThat(context.getBeansOfType(SpanExporter.class).values()).containsExactly(spans);
        assertThat(context.getBeanNamesForType(OtlpTracingConnectionDetails.class))
                .isEmpty();
    }

    /** Sends {@code count} predictions at once, each with {@code headers}, and returns their 200 answers. */
    private List<Http.Response> sendTogether(int count, Map<String, String> headers) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Http.Response>> calls = new ArrayList<>();
        List<String> flat = new ArrayList<>();
        headers.forEach((name, value) -> {
            flat.add(name);
            flat.add(value);
        });
        for (int i = 0; i < count; i++) {
            calls.add(threads.submit(() -> {
                start.await();
                return http.post(PREDICT, Http.IRIS_BODY, flat.toArray(String[]::new));
            }));
        }
        start.countDown();
        List<Http.Response> responses = new ArrayList<>();
        for (Future<Http.Response> call : calls) {
            Http.Response response = call.get(30, TimeUnit.SECONDS);
            assertThat(response.status()).as(response.text()).isEqualTo(200);
            ANSWERED_TRACES.add(traceIdOf(response));
            responses.add(response);
        }
        return responses;
    }

    private String traceIdOf(Http.Response response) {
        Matcher traceparent = TRACEPARENT.matcher(String.valueOf(response.header("traceparent")));
        assertThat(traceparent.matches()).as(response.header("traceparent")).isTrue();
        return traceparent.group(1);
    }

    /** The finished spans once the server span of every trace in {@code traces} has ended and been exported. */
    private List<SpanData> awaitSpans(Set<String> traces) {
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            tracerProvider.forceFlush().join(5, TimeUnit.SECONDS);
            return spans.getFinishedSpanItems().stream()
                    .filter(span -> span.getKind() == SpanKind.SERVER)
                    .map(SpanData::getTraceId)
                    .collect(Collectors.toSet())
                    .containsAll(traces);
        });
        return spans.getFinishedSpanItems();
    }

    private static List<SpanData> inTrace(List<SpanData> spans, String traceId) {
        return spans.stream().filter(span -> span.getTraceId().equals(traceId)).toList();
    }

    private static SpanData only(List<SpanData> spans, Predicate<SpanData> which) {
        List<SpanData> matching = spans.stream().filter(which).toList();
        assertThat(matching).as("spans %s", spans).hasSize(1);
        return matching.get(0);
    }
}
