package dev.onnxserving.watching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The wait before retrying a failing source: exponential, capped, jittered, never zero. */
class BackoffTests {

    private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60));

    @ParameterizedTest
    @CsvSource({"1, 1", "2, 2", "3, 4", "4, 8", "6, 32", "7, 60", "20, 60", "100000, 60", "0, 1"})
    void theCeilingDoublesWithEachFailureInARowUpToTheMax(int failures, long seconds) {
        assertThat(backoff.ceiling(failures)).isEqualTo(Duration.ofSeconds(seconds));
    }

    @Test
    void eachDelayIsBetweenHalfAndAllOfItsCeiling() {
        SplittableRandom random = new SplittableRandom(42);
        for (int failures = 1; failures <= 12; failures++) {
            Duration ceiling = backoff.ceiling(failures);
            for (int draw = 0; draw < 50; draw++) {
                assertThat(backoff.delay(failures, random)).isBetween(ceiling.dividedBy(2), ceiling);
            }
        }
    }

    @Test
    void theDelaysAreJitteredAndTheSameSeedGivesTheSameDelays() {
        SplittableRandom random = new SplittableRandom(7);
        Set<Duration> delays = new HashSet<>();
        for (int draw = 0; draw < 20; draw++) {
            delays.add(backoff.delay(5, random));
        }
        assertThat(delays)
                .as("servers behind one registry do not retry in step")
                .hasSizeGreaterThan(15);
        assertThat(backoff.delay(5, new SplittableRandom(7))).isEqualTo(backoff.delay(5, new SplittableRandom(7)));
    }

    @Test
    void growsAcrossFailuresInARow() {
        SplittableRandom random = new SplittableRandom(3);
        Duration first = backoff.delay(1, random);
        Duration fourth = backoff.delay(4, random);
        assertThat(first).isLessThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(fourth).isGreaterThanOrEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void refusesAZeroInitialOrAMaxBelowIt() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessageContaining("initial <= max");
    }
}
