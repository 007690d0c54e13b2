package dev.onnxserving.observability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onnxserving.observability.PrometheusScrape.Sample;
import org.junit.jupiter.api.Test;

/**
 * With 100 model versions after traffic, the scrape has the number of series the design gives per model version and
 * per model, plus a fixed overhead, and stays under 500 KB (about 400 KB); no request-supplied value is a tag anywhere.
 */
class BoundedCardinalityTests extends HundredVersionsServer {

    private static final int LATENCY_BUCKETS =
            MetricsProperties.DEFAULTS.latencyBuckets().size();
    /** A timer or summary without buckets: {@code _count}, {@code _sum} and {@code _max}. */
    private static final int TIMER = 3;
    /** A histogram: its buckets, the {@code +Inf} bucket, and a timer's three. */
    private static final int HISTOGRAM = LATENCY_BUCKETS + 1 + TIMER;
    /**
     * One model version that answered successes and client errors on one api: the latency histogram, a request
     * counter per outcome (2), four stages, the batch size, the queue length and capacity, the refused and expired
     * counters and the state gauge.
     */
    private static final int PER_VERSION = HISTOGRAM + 2 + 4 * TIMER + TIMER + 2 + 2 + 1;
    /** One model whose versions loaded: ready and failed gauges, LOADING and READY transitions, load time. */
    private static final int PER_MODEL = 2 + 2 + TIMER;
    /** The model that fails to load: its gauges, LOADING and FAILED transitions, load time, failure, state. */
    private static final int FAILED_MODEL = 2 + 2 + TIMER + 1 + 1;
    /** Versions open and versions draining. */
    private static final int GLOBAL = 2;
    /** JVM, process, Tomcat, logging and HTTP server meters: the same for 1 model or 1000. */
    private static final int FIXED_OVERHEAD = 400;

    @Test
    void servingSeriesAreTheDesignsPerVersionAndPerModelNumbers() {
        PrometheusScrape scrape = scrape();

        long serving = scrape.series("serving_");
        int versions = MODELS * VERSIONS;

        assertThat(versions).isEqualTo(100);
        assertThat(serving)
                .as("serving_ series for %d versions", versions)
                .isLessThanOrEqualTo(versions * PER_VERSION + MODELS * PER_MODEL + FAILED_MODEL + GLOBAL)
                .isGreaterThanOrEqualTo(versions * HISTOGRAM);
        assertThat(scrape.samples().size() - serving)
                .as("series of other meters")
                .isLessThanOrEqualTo(FIXED_OVERHEAD);
    }

    @Test
    void everyVersionHasOneLatencyHistogramWithTheConfiguredBuckets() {
        PrometheusScrape scrape = scrape();

        for (int i = 0; i < MODELS; i++) {
            for (int version = 1; version <= VERSIONS; version++) {
                String model = model(i);
                String served = Integer.toString(version);
                assertThat(scrape.samples().stream()
                                .filter(sample -> sample.name().equals("serving_request_duration_seconds_bucket"))
                                .filter(sample -> model.equals(sample.labels().get("model"))
                                        && served.equals(sample.labels().get("version"))))
                        .as("%s/%s", model, served)
                        .hasSize(LATENCY_BUCKETS + 1);
                assertThat(scrape.samples().stream()
                                .filter(sample -> sample.name().equals("serving_requests_total"))
                                .filter(sample -> model.equals(sample.labels().get("model"))
                                        && served.equals(sample.labels().get("version")))
                                .map(sample -> sample.labels().get("outcome")))
                        .containsExactlyInAnyOrder("success", "client_error");
            }
        }
    }

    @Test
    void scrapeStaysUnder500Kilobytes() {
        assertThat(scrape().bytes()).isLessThan(500 * 1024);
    }

    @Test
    void noTagValueComesFromARequest() {
        PrometheusScrape scrape = scrape();

        assertThat(scrape.text()).doesNotContain(UNKNOWN_MODEL).doesNotContain(UNKNOWN_PATH);
        assertThat(scrape.samples())
                .filteredOn(sample -> sample.name().startsWith("serving_"))
                .filteredOn(sample -> sample.labels().containsKey("version"))
                .extracting(sample -> sample.labels().get("version"))
                .allMatch(version -> version.equals("1") || version.equals("2"));
        assertThat(scrape.samples())
                .filteredOn(sample -> sample.labels().containsKey("model"))
                .extracting(sample -> sample.labels().get("model"))
                .allMatch(model -> model.startsWith("tabular-model-") || model.equals(BROKEN));
        assertThat(scrape.samples())
                .filteredOn(sample -> sample.labels().containsKey("uri"))
                .extracting(Sample::labels)
                .allSatisfy(labels -> assertThat(labels.get("uri")).doesNotContain("tabular-model-"));
    }
}
