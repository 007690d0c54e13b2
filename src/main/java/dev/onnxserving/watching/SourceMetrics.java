package dev.onnxserving.watching;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The meters of the source sync, per model (a model has one source): each with its help text. */
final class SourceMetrics {

    private final MeterRegistry meters;
    private final Map<String, AtomicLong> lastSync = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> failing = new ConcurrentHashMap<>();

    SourceMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    void bytes(String model, long bytes) {
        if (bytes > 0) {
            Counter.builder("serving.source.bytes")
                    .description("Bytes fetched from the model's source into the cache")
                    .baseUnit("bytes")
                    .tag("model", model)
                    .register(meters)
                    .increment(bytes);
        }
    }

    void succeeded(String model, Duration took, Instant at) {
        timer(model, "success").record(took);
        gauge(lastSync, model, "serving.source.last.sync", "When the model's source last synced, in epoch seconds")
                .set(at.getEpochSecond());
        failing(model).set(0);
    }

    void failed(String model, String reason, Duration took) {
        timer(model, "failure").record(took);
        Counter.builder("serving.source.failures")
                .description("Failed syncs of the model's source, by reason")
                .tag("model", model)
                .tag("reason", reason)
                .register(meters)
                .increment();
        failing(model).set(1);
    }

    private Timer timer(String model, String outcome) {
        return Timer.builder("serving.source.sync.duration")
                .description("How long one sync of the model's source took")
                .tag("model", model)
                .tag("outcome", outcome)
                .register(meters);
    }

    private AtomicLong failing(String model) {
        return gauge(failing, model, "serving.source.failing", "1 while the model's source fails and the cache serves");
    }

    private AtomicLong gauge(Map<String, AtomicLong> values, String model, String name, String help) {
        return values.computeIfAbsent(model, key -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder(name, value, AtomicLong::get)
                    .description(help)
                    .tag("model", key)
                    .register(meters);
            return value;
        });
    }
}
