package dev.onnxserving.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Prints the mean batch size (rounded, at least 1) the service formed in one batching-on run, so the suite can
 * measure the in-process baseline at that size. Usage: {@code FormedBatches <server.jsonl> <workload> <concurrency>}.
 */
public final class FormedBatches {

    private FormedBatches() {}

    public static void main(String[] args) throws Exception {
        JsonMapper json = JsonMapper.builder().build();
        long batch = 1;
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode node = json.readTree(line);
            JsonNode labels = node.get("labels");
            if (labels.get("workload").asString().equals(args[1])
                    && labels.get("batching").asBoolean()
                    && labels.get("concurrency").asInt() == Integer.parseInt(args[2])) {
                var delta = Run.Meters.delta(node);
                double count = delta.getOrDefault("batch_count", 0.0);
                if (count > 0) {
                    batch = Math.max(1, Math.round(delta.get("batch_sum") / count));
                }
            }
        }
        System.out.println(batch);
    }
}
