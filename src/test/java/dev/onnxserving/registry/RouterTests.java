package dev.onnxserving.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class RouterTests {

    private final SplittableRandom seeded = new SplittableRandom(42);
    private final Router router = new Router(() -> seeded);

    private static Map<Long, Integer> weights(long a, int wa, long b, int wb) {
        Map<Long, Integer> weights = new TreeMap<>();
        weights.put(a, wa);
        weights.put(b, wb);
        return weights;
    }

    @Test
    void splitsRandomRequestsInTheConfiguredProportions() {
        Map<Long, Integer> counts = new HashMap<>();
        for (int i = 0; i < 20_000; i++) {
            long version = router.choose(weights(2, 90, 3, 10), Set.of(2L, 3L)::contains, null)
                    .getAsLong();
            counts.merge(version, 1, Integer::sum);
        }
        assertThat(counts.keySet()).containsExactlyInAnyOrder(2L, 3L);
        assertThat(counts.get(3L) / 20_000.0).isCloseTo(0.10, within(0.01));
    }

    @Test
    void leavesOutVersionsThatAreNotReadyAndSharesTheirTraffic() {
        Map<Long, Integer> weights = new TreeMap<>(Map.of(1L, 50, 2L, 30, 3L, 20));
        Map<Long, Integer> counts = new HashMap<>();
        for (int i = 0; i < 10_000; i++) {
            counts.merge(router.choose(weights, Set.of(1L, 3L)::contains, null).getAsLong(), 1, Integer::sum);
        }
        assertThat(counts).doesNotContainKey(2L);
        assertThat(counts.get(3L) / 10_000.0).isCloseTo(20.0 / 70.0, within(0.02));
    }

    @Test
    void choosesNothingWhenNoWeightedVersionIsReady() {
        assertThat(router.choose(weights(2, 90, 3, 10), Set.of(1L)::contains, null))
                .isEqualTo(OptionalLong.empty());
        assertThat(router.choose(weights(2, 0, 3, 10), Set.of(2L)::contains, null))
                .isEqualTo(OptionalLong.empty());
    }

    @Test
    void keepsOneCallerOnOneVersionWithAStickyKey() {
        for (int caller = 0; caller < 200; caller++) {
            String key = "user-" + caller;
            long first = router.choose(weights(2, 50, 3, 50), Set.of(2L, 3L)::contains, key)
                    .getAsLong();
            for (int repeat = 0; repeat < 5; repeat++) {
                assertThat(router.choose(weights(2, 50, 3, 50), Set.of(2L, 3L)::contains, key)
                                .getAsLong())
                        .isEqualTo(first);
            }
        }
    }

    @Test
    void spreadsStickyCallersInTheConfiguredProportions() {
        int onCanary = 0;
        for (int caller = 0; caller < 20_000; caller++) {
            if (router.choose(weights(2, 80, 3, 20), Set.of(2L, 3L)::contains, "caller-" + caller)
                            .getAsLong()
                    == 3L) {
                onCanary++;
            }
        }
        assertThat(onCanary / 20_000.0).isCloseTo(0.20, within(0.015));
    }

    @Test
    void movesOnlyTheCallersWhosePointChangesSideWhenTheCanaryGrows() {
        for (int caller = 0; caller < 5_000; caller++) {
            String key = "caller-" + caller;
            long before = router.choose(weights(2, 90, 3, 10), Set.of(2L, 3L)::contains, key)
                    .getAsLong();
            long after = router.choose(weights(2, 8, 3, 2), Set.of(2L, 3L)::contains, key)
                    .getAsLong();
            if (before == 3L) {
                assertThat(after).as(key).isEqualTo(3L);
            }
        }
    }

    @Test
    void copiesTheConfiguredFractionToTheShadow() {
        int copied = 0;
        for (int i = 0; i < 20_000; i++) {
            if (router.copyToShadow(0.25)) {
                copied++;
            }
        }
        assertThat(copied / 20_000.0).isCloseTo(0.25, within(0.015));
        assertThat(router.copyToShadow(0.0)).isFalse();
        assertThat(router.copyToShadow(1.0)).isTrue();
    }

    @Test
    void mapsKeysToStablePointsInTheUnitInterval() {
        assertThat(Router.unitPoint("alice")).isEqualTo(Router.unitPoint("alice"));
        assertThat(Router.unitPoint("alice")).isNotEqualTo(Router.unitPoint("bob"));
        assertThat(Router.unitPoint("")).isBetween(0.0, 1.0);
    }
}
