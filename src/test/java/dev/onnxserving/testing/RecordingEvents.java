package dev.onnxserving.testing;

import dev.onnxserving.registry.LoadFailure;
import dev.onnxserving.registry.ModelEvents;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Remembers the lifecycle events a test cares about. */
public final class RecordingEvents implements ModelEvents {

    public final List<String> failures = new CopyOnWriteArrayList<>();
    public final List<String> drained = new CopyOnWriteArrayList<>();
    public final List<String> refused = new CopyOnWriteArrayList<>();

    @Override
    public void deploymentRefused(String model, String source) {
        refused.add(model + " from " + source);
    }

    @Override
    public void versionLoadFailed(String model, long version, LoadFailure failure) {
        failures.add(model + "/" + version + " " + failure);
    }

    @Override
    public void versionDrained(String model, long version, Duration drainTime) {
        drained.add(model + "/" + version);
    }
}
