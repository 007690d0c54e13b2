package dev.onnxserving.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns one suite run's raw results into {@code docs/benchmarks.md}, its chart and a results JSON file.
 *
 * <p>Usage: {@code Report <results dir> <benchmarks.md> <chart.svg> <results.json>}. The results directory holds
 * {@code machine.json}, {@code setup.json}, {@code wrk.jsonl}, {@code server.jsonl}, {@code baseline.json} and,
 * when the microbenchmarks ran, {@code jmh.json}.
 */
public final class Report {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<String> WORKLOADS = List.of("echo", "iris-predict", "iris-v2", "minilm-predict");

    private Report() {}

    public static void main(String[] args) throws IOException {
        Path results = Path.of(args[0]);
        Path markdown = Path.of(args[1]);
        Path chart = Path.of(args[2]);
        Path json = Path.of(args[3]);
        JsonNode machine = JSON.readTree(results.resolve("machine.json").toFile());
        JsonNode setup = JSON.readTree(results.resolve("setup.json").toFile());
        List<Run> runs = runs(results);
        JsonNode baseline = JSON.readTree(results.resolve("baseline.json").toFile());
        JsonNode jmh = Files.exists(results.resolve("jmh.json"))
                ? JSON.readTree(results.resolve("jmh.json").toFile())
                : JSON.createArrayNode();
        List<String> probe = Files.exists(results.resolve("probe.txt"))
                ? Files.readAllLines(results.resolve("probe.txt"))
                : List.of();
        List<Target> targets = targets(runs, baseline, setup, probe);

        Files.createDirectories(chart.toAbsolutePath().getParent());
        Files.writeString(
                chart,
                Chart.svg(series(runs), "onnx-serving on " + machine.get("cpu").asString()));
        Optional<String> kafka = KafkaReport.of(results, JSON);
        Files.writeString(markdown, markdown(machine, setup, runs, baseline, jmh, targets, chart.getFileName(), kafka));
        ObjectNode out = JSON.createObjectNode();
        out.set("machine", machine);
        out.set("setup", setup);
        out.set("http", JSON.valueToTree(runs));
        out.set("baseline", baseline);
        out.set("targets", JSON.valueToTree(targets));
        out.set("jmh", jmh);
        if (kafka.isPresent()) {
            out.set("kafka", JSON.readTree(results.resolve(KafkaReport.FILE).toFile()));
        }
        Files.createDirectories(json.toAbsolutePath().getParent());
        Files.writeString(json, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(out) + "\n");
    }

    /** A target of the issue, with what this run measured. */
    record Target(String target, String measured, String met) {}

    private static List<Run> runs(Path results) throws IOException {
        Map<String, JsonNode> server = new LinkedHashMap<>();
        for (String line : Files.readAllLines(results.resolve("server.jsonl"))) {
            if (!line.isBlank()) {
                JsonNode node = JSON.readTree(line);
                server.put(key(node.get("labels")), node);
            }
        }
        List<Run> runs = new ArrayList<>();
        for (String line : Files.readAllLines(results.resolve("wrk.jsonl"))) {
            if (!line.isBlank()) {
                JsonNode node = JSON.readTree(line);
                runs.add(Run.of(node, server.get(key(node.get("labels")))));
            }
        }
        runs.sort(Comparator.comparing((Run run) -> WORKLOADS.indexOf(run.workload()))
                .thenComparing(Run::batching)
                .thenComparing(Run::concurrency));
        return runs;
    }

    private static String key(JsonNode labels) {
        return labels.get("workload").asString() + "|" + labels.get("batching").asBoolean() + "|"
                + labels.get("concurrency").asInt();
    }

    private static Optional<Run> find(List<Run> runs, String workload, boolean batching, int concurrency) {
        return runs.stream()
                .filter(run -> run.workload().equals(workload)
                        && run.batching() == batching
                        && run.concurrency() == concurrency)
                .findFirst();
    }

    private static List<Chart.Series> series(List<Run> runs) {
        List<Chart.Series> series = new ArrayList<>();
        for (String workload : WORKLOADS) {
            for (boolean batching : new boolean[] {false, true}) {
                List<Run> points = runs.stream()
                        .filter(run -> run.workload().equals(workload) && run.batching() == batching)
                        .toList();
                if (!points.isEmpty()) {
                    String name = workload.equals("echo")
                            ? "echo (no model)"
                            : workload + (batching ? ", batching on" : ", batching off");
                    series.add(new Chart.Series(name, !batching && !workload.equals("echo"), points));
                }
            }
        }
        return series;
    }

    /** The baseline's best rows/s for {@code model} at the measured batch size nearest {@code batch}. */
    private static Optional<JsonNode> baselineNear(JsonNode baseline, String model, double batch) {
        JsonNode best = null;
        for (JsonNode entry : baseline) {
            if (!entry.get("model").asString().equals(model)) {
                continue;
            }
            if (best == null
                    || Math.abs(entry.get("batch").asDouble() - batch)
                            < Math.abs(best.get("batch").asDouble() - batch)
                    || (entry.get("batch").asInt() == best.get("batch").asInt()
                            && entry.get("rows_per_s").asDouble()
                                    > best.get("rows_per_s").asDouble())) {
                best = entry;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * The probe's lines, {@code <status> <seconds>}: single curl requests sent while minilm ran at concurrency 64.
     * A 429 counts as "at once" when it came back faster than the requests that were served.
     */
    private static Target refusalTarget(List<String> probe) {
        List<Double> refused = new ArrayList<>();
        List<Double> served = new ArrayList<>();
        for (String line : probe) {
            String[] parts = line.trim().split(" ");
            if (parts.length == 2) {
                double millis = Double.parseDouble(parts[1]) * 1000;
                (parts[0].equals("429") ? refused : parts[0].equals("200") ? served : new ArrayList<Double>())
                        .add(millis);
            }
        }
        String target = "single curl requests while minilm runs at concurrency 64: 429 as seen by a client (includes"
                + " waiting for a CPU on the saturated machine before the request is even read)";
        if (refused.isEmpty()) {
            return new Target(target, served.size() + " probe requests, none refused", "not shown");
        }
        double refusedMedian = median(refused);
        double servedMedian = served.isEmpty() ? Double.NaN : median(served);
        return new Target(
                target,
                String.format(
                        Locale.ROOT,
                        "%d refused: median %.1f ms, max %.1f ms; %d served: median %.1f ms",
                        refused.size(),
                        refusedMedian,
                        refused.stream().mapToDouble(v -> v).max().orElse(0),
                        served.size(),
                        servedMedian),
                "(observation)");
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static List<Target> targets(List<Run> runs, JsonNode baseline, JsonNode setup, List<String> probe) {
        List<Target> targets = new ArrayList<>();
        Optional<Run> minilmOn = find(runs, "minilm-predict", true, 16);
        Optional<Run> minilmOff = find(runs, "minilm-predict", false, 16);
        if (minilmOn.isPresent() && minilmOff.isPresent()) {
            double ratio = minilmOn.get().okPerSecond() / minilmOff.get().okPerSecond();
            targets.add(new Target(
                    "minilm /predict, concurrency 16: batching on >= 2x batching off",
                    String.format(
                            Locale.ROOT,
                            "%.2fx (%.0f vs %.0f 2xx/s)",
                            ratio,
                            minilmOn.get().okPerSecond(),
                            minilmOff.get().okPerSecond()),
                    ratio >= 2 ? "yes" : "no"));
            Run on = minilmOn.get();
            baselineNear(baseline, "minilm", on.meanBatch()).ifPresent(entry -> {
                double limit = entry.get("rows_per_s").asDouble();
                double share = on.okPerSecond() / limit;
                targets.add(new Target(
                        "minilm /predict, concurrency 16, batching on: >= 0.8 of in-process ONNX Runtime at the batch"
                                + " size formed",
                        String.format(
                                Locale.ROOT,
                                "%.2f (%.0f 2xx/s vs %.0f rows/s in-process at batch %d; mean batch formed %.1f)",
                                share,
                                on.okPerSecond(),
                                limit,
                                entry.get("batch").asInt(),
                                on.meanBatch()),
                        share >= 0.8 ? "yes" : "no"));
            });
        }
        Optional<Run> echo = find(runs, "echo", false, 16);
        for (boolean batching : new boolean[] {true, false}) {
            Optional<Run> iris = find(runs, "iris-predict", batching, 16);
            if (echo.isPresent() && iris.isPresent()) {
                double share = iris.get().okPerSecond() / echo.get().okPerSecond();
                targets.add(new Target(
                        "iris /predict, concurrency 16 (batching " + (batching ? "on" : "off")
                                + "): >= 0.7 of the echo endpoint's req/s",
                        String.format(
                                Locale.ROOT,
                                "%.2f (%.0f vs %.0f 2xx/s)",
                                share,
                                iris.get().okPerSecond(),
                                echo.get().okPerSecond()),
                        share >= 0.7 ? "yes" : "no"));
            }
        }
        double deadline = setup.get("deadline_ms").asDouble();
        for (Run run : runs) {
            if (run.concurrency() == 64 && !run.workload().equals("echo")) {
                targets.add(new Target(
                        run.workload() + ", concurrency 64, batching " + (run.batching() ? "on" : "off")
                                + ": p99 below the " + (long) deadline + " ms deadline, queue limit "
                                + setup.get("max_queue_size").asInt() + "; overflow refused with 429",
                        String.format(
                                Locale.ROOT,
                                "p99 %.1f ms; %d refused (429), %d expired (503), %d non-2xx seen by wrk",
                                run.p99Millis(),
                                run.refused(),
                                run.expired(),
                                run.non2xx()),
                        run.p99Millis() < deadline ? "yes" : "no"));
            }
        }
        for (Run run : runs) {
            if (run.concurrency() == 64 && run.refused() > 0) {
                targets.add(new Target(
                        run.workload() + ", concurrency 64, batching " + (run.batching() ? "on" : "off")
                                + ": a refused request gets 429 at once (time inside the service)",
                        String.format(
                                Locale.ROOT,
                                "429 after %.2f ms on average (max %.1f ms) vs %.1f ms for a served request",
                                run.refusedMillis(),
                                run.refusedMaxMillis(),
                                run.servedMillis()),
                        run.refusedMillis() < run.servedMillis() / 4 ? "yes" : "no"));
            }
        }
        targets.add(refusalTarget(probe));
        return targets;
    }

    private static String markdown(
            JsonNode machine,
            JsonNode setup,
            List<Run> runs,
            JsonNode baseline,
            JsonNode jmh,
            List<Target> targets,
            Path chart,
            Optional<String> kafka) {
        StringBuilder md = new StringBuilder();
        md.append("# Benchmarks\n\n");
        md.append("Generated by `bench/run.sh` on ")
                .append(machine.get("date").asString())
                .append(". Do not edit by hand: run the suite again (`bench/run.sh`, about ")
                .append(setup.get("expected_minutes").asInt())
                .append(" minutes). Raw numbers: `bench/results/latest.json`.\n\n");
        md.append("## Machine\n\n");
        for (String field :
                List.of("cpu", "cores", "memory", "os", "java", "onnxruntime", "load_generator", "load_average")) {
            md.append("- ")
                    .append(field.replace('_', ' '))
                    .append(": ")
                    .append(machine.path(field).asString(""));
            md.append('\n');
        }
        md.append("\nThe load generator and the service share the same cores, so every HTTP number here is what is"
                + " left after wrk takes its share; the in-process baseline ran with the service and wrk stopped.\n\n");
        md.append("## Setup\n\n");
        md.append(setup.get("description").asString()).append("\n\n");
        md.append("## Targets (ratios from this run)\n\n| target | measured | met |\n| --- | --- | --- |\n");
        for (Target target : targets) {
            md.append("| ")
                    .append(target.target())
                    .append(" | ")
                    .append(target.measured())
                    .append(" | ")
                    .append(target.met())
                    .append(" |\n");
        }
        md.append("\n## HTTP results\n\n");
        md.append(
                "| workload | batching | concurrency | 2xx/s | all responses/s | p50 ms | p99 ms | non-2xx | 429 | 503"
                        + " | mean batch | server alloc/request |\n");
        md.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (Run run : runs) {
            md.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %d | %.0f | %.0f | %.2f | %.2f | %d | %d | %d | %s | %s |\n",
                    run.workload(),
                    run.workload().equals("echo") ? "-" : run.batching() ? "on" : "off",
                    run.concurrency(),
                    run.okPerSecond(),
                    run.requestsPerSecond(),
                    run.p50Millis(),
                    run.p99Millis(),
                    run.non2xx(),
                    run.refused(),
                    run.expired(),
                    run.meanBatch() > 0 ? String.format(Locale.ROOT, "%.1f", run.meanBatch()) : "-",
                    run.allocatedBytesPerRequest() > 0
                            ? String.format(Locale.ROOT, "%.1f KB", run.allocatedBytesPerRequest() / 1024)
                            : "-"));
        }
        md.append("\n![Throughput and p99 latency against concurrency, batching on and off](")
                .append(chart)
                .append(")\n\n");
        kafka.ifPresent(md::append);
        md.append("## In-process ONNX Runtime (the physical limit)\n\n");
        md.append("| model | batch | calling threads | calls/s | rows/s | p50 ms | p99 ms |\n");
        md.append("| --- | --- | --- | --- | --- | --- | --- |\n");
        for (JsonNode entry : baseline) {
            md.append(String.format(
                    Locale.ROOT,
                    "| %s | %d | %d | %.0f | %.0f | %.3f | %.3f |\n",
                    entry.get("model").asString(),
                    entry.get("batch").asInt(),
                    entry.get("callers").asInt(),
                    entry.get("calls_per_s").asDouble(),
                    entry.get("rows_per_s").asDouble(),
                    entry.get("p50_us").asDouble() / 1e3,
                    entry.get("p99_us").asDouble() / 1e3));
        }
        if (jmh instanceof ArrayNode array && !array.isEmpty()) {
            md.append("\n## Microbenchmarks (JMH, `-prof gc`)\n\n");
            md.append("| benchmark | time per op | allocated per op |\n| --- | --- | --- |\n");
            for (JsonNode entry : array) {
                JsonNode primary = entry.get("primaryMetric");
                JsonNode alloc = entry.path("secondaryMetrics").path("gc.alloc.rate.norm");
                String name = entry.get("benchmark").asString();
                md.append(String.format(
                        Locale.ROOT,
                        "| %s | %.2f %s | %s |\n",
                        name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1),
                        primary.get("score").asDouble(),
                        primary.get("scoreUnit").asString(),
                        alloc.isMissingNode()
                                ? "-"
                                : String.format(
                                        Locale.ROOT,
                                        "%.0f B",
                                        alloc.get("score").asDouble())));
            }
        }
        md.append("\n## Notes\n\n").append(setup.get("notes").asString()).append('\n');
        return md.toString();
    }
}
