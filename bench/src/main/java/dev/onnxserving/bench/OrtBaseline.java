package dev.onnxserving.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;

/**
 * The physical limit the service is measured against: the benchmark models run in this process straight through the
 * ONNX Runtime Java API, with the session options the service uses (intra-op threads = CPUs, sequential execution,
 * all graph optimisations), inputs created once, nothing but {@code session.run} in the loop.
 *
 * <p>Usage: {@code OrtBaseline <models dir> <out.json> <seconds> <model>=<batch>,<batch>... ...}, e.g. {@code
 * iris=1,8 minilm=1,14}. Batch 1 runs with 1 and 2 calling threads, larger batches with 1. Writes a JSON array, one
 * object per measurement.
 */
public final class OrtBaseline {

    /** The token ids of "A cat sits on the mat." for BERT's uncased vocabulary, with [CLS] and [SEP]. */
    static final long[] SHORT_TEXT_IDS = {101, 1037, 4937, 7719, 2006, 1996, 13523, 1012, 102};

    private static final Map<String, String> FILES =
            Map.of("iris", "iris/2/model.onnx", "minilm", "minilm/1/model.onnx");

    private OrtBaseline() {}

    public static void main(String[] args) throws Exception {
        Path models = Path.of(args[0]);
        Path out = Path.of(args[1]);
        double seconds = Double.parseDouble(args[2]);
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        List<String> results = new ArrayList<>();
        for (int i = 3; i < args.length; i++) {
            String[] spec = args[i].split("=");
            String model = spec[0];
            try (OrtSession.SessionOptions options = options();
                    OrtSession session = environment.createSession(
                            models.resolve(FILES.get(model)).toString(), options)) {
                for (String batchText : spec[1].split(",")) {
                    int batch = Integer.parseInt(batchText);
                    for (int callers : batch == 1 ? new int[] {1, 2} : new int[] {1}) {
                        String result = measure(environment, session, model, batch, callers, seconds);
                        System.out.println(result);
                        results.add(result);
                    }
                }
            }
        }
        Files.createDirectories(out.getParent());
        Files.writeString(out, "[\n" + String.join(",\n", results) + "\n]\n");
    }

    private static OrtSession.SessionOptions options() throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(Runtime.getRuntime().availableProcessors());
        options.setInterOpNumThreads(1);
        options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        return options;
    }

    private static String measure(
            OrtEnvironment environment, OrtSession session, String model, int batch, int callers, double seconds)
            throws Exception {
        Map<String, OnnxTensor> inputs = inputs(environment, model, batch);
        try {
            run(session, inputs, callers, Math.min(1.0, seconds / 3));
            long[] latencies = new long[1 << 20];
            LongAdder calls = new LongAdder();
            long elapsed = run(session, inputs, callers, seconds, calls, latencies);
            double callsPerSecond = calls.sum() / (elapsed / 1e9);
            int recorded = (int) Math.min(calls.sum(), latencies.length);
            long[] sorted = Arrays.copyOf(latencies, recorded);
            Arrays.sort(sorted);
            return String.format(
                    java.util.Locale.ROOT,
                    "{\"model\":\"%s\",\"batch\":%d,\"callers\":%d,\"calls_per_s\":%.1f,\"rows_per_s\":%.1f,"
                            + "\"p50_us\":%.1f,\"p99_us\":%.1f}",
                    model,
                    batch,
                    callers,
                    callsPerSecond,
                    callsPerSecond * batch,
                    sorted[recorded / 2] / 1e3,
                    sorted[(int) Math.min(recorded - 1, Math.floor(recorded * 0.99))] / 1e3);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    private static void run(OrtSession session, Map<String, OnnxTensor> inputs, int callers, double seconds)
            throws Exception {
        run(session, inputs, callers, seconds, new LongAdder(), new long[1]);
    }

    /** Calls {@code session.run} from {@code callers} threads for {@code seconds}; returns the nanoseconds taken. */
    private static long run(
            OrtSession session,
            Map<String, OnnxTensor> inputs,
            int callers,
            double seconds,
            LongAdder calls,
            long[] latencies)
            throws Exception {
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        CountDownLatch finished = new CountDownLatch(callers);
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicInteger slot = new java.util.concurrent.atomic.AtomicInteger();
        for (int t = 0; t < callers; t++) {
            Thread caller = new Thread(() -> {
                try {
                    while (System.nanoTime() < end) {
                        long before = System.nanoTime();
                        try (OrtSession.Result result = session.run(inputs)) {
                            if (result.size() == 0) {
                                throw new IllegalStateException("no outputs");
                            }
                        }
                        int index = slot.getAndIncrement();
                        if (index < latencies.length) {
                            latencies[index] = System.nanoTime() - before;
                        }
                        calls.increment();
                    }
                } catch (Throwable e) {
                    failures.add(e);
                } finally {
                    finished.countDown();
                }
            });
            caller.start();
        }
        finished.await();
        if (!failures.isEmpty()) {
            throw new IllegalStateException("a baseline run failed", failures.get(0));
        }
        return System.nanoTime() - start;
    }

    private static Map<String, OnnxTensor> inputs(OrtEnvironment environment, String model, int batch)
            throws OrtException, IOException {
        Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
        if (model.equals("iris")) {
            float[][] rows = new float[batch][];
            for (int i = 0; i < batch; i++) {
                rows[i] = new float[] {5.1f, 3.5f, 1.4f, 0.2f};
            }
            inputs.put("input", OnnxTensor.createTensor(environment, rows));
            return inputs;
        }
        long[][] ids = new long[batch][];
        long[][] mask = new long[batch][];
        long[][] types = new long[batch][];
        for (int i = 0; i < batch; i++) {
            ids[i] = SHORT_TEXT_IDS.clone();
            mask[i] = new long[SHORT_TEXT_IDS.length];
            Arrays.fill(mask[i], 1);
            types[i] = new long[SHORT_TEXT_IDS.length];
        }
        inputs.put("input_ids", OnnxTensor.createTensor(environment, ids));
        inputs.put("attention_mask", OnnxTensor.createTensor(environment, mask));
        inputs.put("token_type_ids", OnnxTensor.createTensor(environment, types));
        return inputs;
    }
}
