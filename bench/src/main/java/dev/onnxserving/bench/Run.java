package dev.onnxserving.bench;

import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * One load-generator run against the service, with the server's meters before and after it.
 *
 * @param workload what was called: {@code echo}, {@code iris-predict}, {@code iris-v2}, {@code minilm-predict}
 * @param batching whether the service batched
 * @param concurrency open connections
 * @param requestsPerSecond completed requests per second (any status)
 * @param okPerSecond requests answered 2xx per second: the throughput that counts
 * @param p50Millis median latency
 * @param p99Millis 99th percentile latency
 * @param non2xx responses that were not 2xx (refused or expired)
 * @param refused requests the service refused with 429 during the run
 * @param expired requests whose deadline passed before they ran during the run
 * @param meanBatch mean rows per batch the service ran, 0 when it did not batch
 * @param allocatedBytesPerRequest heap the whole server allocated per request, GC counter delta over requests
 * @param refusedMillis mean time inside the service of a request refused with 429, 0 when none was
 * @param refusedMaxMillis the longest such time the service reported (its recent maximum)
 * @param servedMillis mean time inside the service of a request answered 2xx
 */
record Run(
        String workload,
        boolean batching,
        int concurrency,
        double requestsPerSecond,
        double okPerSecond,
        double p50Millis,
        double p99Millis,
        long non2xx,
        long refused,
        long expired,
        double meanBatch,
        double allocatedBytesPerRequest,
        double refusedMillis,
        double refusedMaxMillis,
        double servedMillis) {

    static Run of(JsonNode wrk, JsonNode server) {
        JsonNode labels = wrk.get("labels");
        long requests = wrk.get("requests").asLong();
        double seconds = wrk.get("duration_us").asDouble() / 1e6;
        JsonNode latency = wrk.get("latency_us");
        Map<String, Double> delta = Meters.delta(server);
        double batches = delta.getOrDefault("batch_count", 0.0);
        return new Run(
                labels.get("workload").asString(),
                labels.get("batching").asBoolean(),
                labels.get("concurrency").asInt(),
                requests / seconds,
                (requests - wrk.get("non2xx").asLong()) / seconds,
                latency.get("p50").asDouble() / 1e3,
                latency.get("p99").asDouble() / 1e3,
                wrk.get("non2xx").asLong(),
                delta.getOrDefault("refused", 0.0).longValue(),
                delta.getOrDefault("expired", 0.0).longValue(),
                batches > 0 ? delta.get("batch_sum") / batches : 0,
                requests > 0 ? delta.getOrDefault("allocated", 0.0) / requests : 0,
                mean(delta, "refused_seconds", "refused_count"),
                server == null
                        ? 0
                        : server.get("after").path("refused_max_seconds").asDouble(0) * 1000,
                mean(delta, "served_seconds", "served_count"));
    }

    private static double mean(Map<String, Double> delta, String sum, String count) {
        double n = delta.getOrDefault(count, 0.0);
        return n > 0 ? delta.get(sum) / n * 1000 : 0;
    }

    /** The server meters the suite snapshots around each run. */
    static final class Meters {
        private Meters() {}

        static Map<String, Double> delta(JsonNode server) {
            Map<String, Double> delta = new java.util.LinkedHashMap<>();
            if (server == null) {
                return delta;
            }
            JsonNode before = server.get("before");
            JsonNode after = server.get("after");
            for (String name : after.propertyNames()) {
                delta.put(name, after.get(name).asDouble() - before.path(name).asDouble(0));
            }
            return delta;
        }
    }
}
