package dev.onnxserving.repository;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides when a folder on disk is safe to load: its fingerprint must have been seen unchanged for at least the
 * settle time. A file still being copied changes size or modification time between observations, so it never
 * looks settled. Thread-safe.
 */
public final class FolderStability {

    private record Observation(String fingerprint, Instant since) {}

    private final Clock clock;
    private final Duration settleTime;
    private final Map<Path, Observation> observations = new ConcurrentHashMap<>();

    public FolderStability(Clock clock, Duration settleTime) {
        this.clock = clock;
        this.settleTime = settleTime;
    }

    /** Records {@code fingerprint} for {@code folder}; true once it has stayed the same for the settle time. */
    public boolean isSettled(Path folder, String fingerprint) {
        Instant now = clock.instant();
        Observation seen = observations.compute(
                folder,
                (key, previous) -> previous != null && previous.fingerprint().equals(fingerprint)
                        ? previous
                        : new Observation(fingerprint, now));
        return !now.isBefore(seen.since().plus(settleTime));
    }

    /** Takes {@code fingerprint} as settled now: for what is on disk when the service starts. */
    public void trust(Path folder, String fingerprint) {
        observations.put(folder, new Observation(fingerprint, clock.instant().minus(settleTime)));
    }

    public void forget(Path folder) {
        observations.remove(folder);
    }

    public Duration settleTime() {
        return settleTime;
    }
}
