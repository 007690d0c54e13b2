package dev.onnxserving.watching;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How long to wait before trying a failing source again: exponential in the number of failures in a row, capped, with
 * "equal jitter" (half the delay fixed, half random) so many servers behind one registry do not retry in step. Never
 * zero, so a failing source is never retried in a tight loop. A pure function of its inputs.
 */
record Backoff(Duration initial, Duration max) {

    Backoff {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException(
                    "backoff: expected 0 < initial <= max, got initial " + initial + " and max " + max);
        }
    }

    /**
     * @param failures failures in a row, 1 for the first
     * @return the wait, between half and all of {@code min(max, initial * 2^(failures-1))}
     */
    Duration delay(int failures, RandomGenerator random) {
        long ceiling = ceiling(failures).toNanos();
        long half = ceiling / 2;
        return Duration.ofNanos(ceiling - half + random.nextLong(half + 1));
    }

    /** The wait before jitter. */
    Duration ceiling(int failures) {
        int doublings = Math.max(0, Math.min(failures - 1, 40));
        Duration grown = initial.multipliedBy(1L << doublings);
        return grown.compareTo(max) > 0 ? max : grown;
    }
}
