package dev.onnxserving.registry;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongPredicate;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Picks a version for a routed request out of a weighted split, and decides which requests are copied to a shadow.
 *
 * <p>Only READY versions take part: the weights of the others are left out and the rest share the traffic in their
 * proportions. A sticky key (a header value) maps to a fixed point in [0, 1) by a stable hash, so one caller keeps
 * one version for as long as the weights stay the same, across restarts and replicas; when weights shift, only the
 * callers whose point changes side move. Thread-safe when its random source is.
 */
public final class Router {

    private final Supplier<RandomGenerator> random;

    /** @param random the source of randomness for requests without a sticky key */
    public Router(Supplier<RandomGenerator> random) {
        this.random = random;
    }

    /** A router drawing from {@link ThreadLocalRandom}. */
    public static Router random() {
        return new Router(ThreadLocalRandom::current);
    }

    /**
     * @param weights version to weight, in ascending version order
     * @param ready whether a version can serve now
     * @param stickyKey the caller's key, or {@code null} for a random choice
     * @return the chosen version, or empty when no version with a weight above 0 is ready
     */
    public OptionalLong choose(Map<Long, Integer> weights, LongPredicate ready, String stickyKey) {
        long total = 0;
        for (Map.Entry<Long, Integer> weight : weights.entrySet()) {
            if (weight.getValue() > 0 && ready.test(weight.getKey())) {
                total += weight.getValue();
            }
        }
        if (total == 0) {
            return OptionalLong.empty();
        }
        double point = stickyKey == null ? random.get().nextDouble() : unitPoint(stickyKey);
        double target = point * total;
        long cumulative = 0;
        long last = -1;
        for (Map.Entry<Long, Integer> weight : weights.entrySet()) {
            if (weight.getValue() > 0 && ready.test(weight.getKey())) {
                cumulative += weight.getValue();
                last = weight.getKey();
                if (target < cumulative) {
                    return OptionalLong.of(weight.getKey());
                }
            }
        }
        return OptionalLong.of(last);
    }

    /** Whether this request is also sent to the shadow, with probability {@code fraction}. */
    public boolean copyToShadow(double fraction) {
        if (fraction >= 1.0) {
            return true;
        }
        return fraction > 0.0 && random.get().nextDouble() < fraction;
    }

    /** A stable point in [0, 1) for {@code key}: FNV-1a over its UTF-8 bytes, then a 64-bit finaliser. */
    static double unitPoint(String key) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        hash ^= hash >>> 33;
        hash *= 0xff51afd7ed558ccdL;
        hash ^= hash >>> 33;
        hash *= 0xc4ceb9fe1a85ec53L;
        hash ^= hash >>> 33;
        return (hash >>> 11) * 0x1.0p-53;
    }
}
