package dev.onnxserving.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The Kafka section of docs/benchmarks.md from the Kafka workload's results; its main prints it. */
public final class KafkaReport {

    static final String FILE = "kafka.json";

    private KafkaReport() {}

    /** Prints the section for the results file {@code args[0]}. */
    public static void main(String[] args) throws IOException {
        System.out.print(
                markdown(JsonMapper.builder().build().readTree(Path.of(args[0]).toFile())));
    }

    /** The section, or none when the results folder has no Kafka results. */
    static Optional<String> of(Path results, JsonMapper json) throws IOException {
        Path file = results.resolve(FILE);
        return Files.exists(file) ? Optional.of(markdown(json.readTree(file.toFile()))) : Optional.empty();
    }

    static String markdown(JsonNode points) {
        StringBuilder md = new StringBuilder("## Kafka results\n\n");
        md.append("minilm records pre-loaded on a 4-partition input topic of a KRaft broker on loopback, consumed by "
                + "one binding of the service (at-least-once), batching on and then off; records/s from the first "
                + "output record to the last, by the outputs' timestamps (a freshly started service: its JIT warm-up "
                + "is inside). The service's queue holds a whole poll (serving.batching.max-queue-size=500), so no "
                + "partition pauses for a full queue. Compare with the minilm-predict rows of the HTTP results "
                + "above.\n\n");
        md.append(
                "| workload | batching | records | not success | first to last output s | records/s | mean batch |\n");
        md.append("| --- | --- | --- | --- | --- | --- | --- |\n");
        for (JsonNode point : points) {
            md.append(String.format(
                    Locale.ROOT,
                    "| minilm-kafka | %s | %d | %d | %.1f | %.0f | %s |\n",
                    point.get("batching").asBoolean() ? "on" : "off",
                    point.get("records").asInt(),
                    point.get("not_success").asInt(),
                    point.get("seconds").asDouble(),
                    point.get("records_per_second").asDouble(),
                    point.get("mean_batch").asDouble() > 0
                            ? String.format(
                                    Locale.ROOT, "%.1f", point.get("mean_batch").asDouble())
                            : "-"));
        }
        return md.append('\n').toString();
    }
}
