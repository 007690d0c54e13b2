package dev.onnxserving.repository;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onnxserving.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FolderStabilityTests {

    private final MutableClock clock = new MutableClock();
    private final FolderStability stability = new FolderStability(clock, Duration.ofSeconds(2));
    private final Path folder = Path.of("models/iris/3");

    @Test
    void isNotSettledWhenFirstSeen() {
        assertThat(stability.isSettled(folder, "a")).isFalse();
    }

    @Test
    void settlesOnceUnchangedForTheSettleTime() {
        stability.isSettled(folder, "a");
        clock.advance(Duration.ofMillis(1999));
        assertThat(stability.isSettled(folder, "a")).isFalse();
        clock.advance(Duration.ofMillis(1));
        assertThat(stability.isSettled(folder, "a")).isTrue();
    }

    @Test
    void startsWaitingAgainWhenTheFolderChanges() {
        stability.isSettled(folder, "half-copied");
        clock.advance(Duration.ofSeconds(1));
        assertThat(stability.isSettled(folder, "complete")).isFalse();
        clock.advance(Duration.ofMillis(1500));
        assertThat(stability.isSettled(folder, "complete")).isFalse();
        clock.advance(Duration.ofMillis(500));
        assertThat(stability.isSettled(folder, "complete")).isTrue();
    }

    @Test
    void takesWhatIsOnDiskAtStartUpAsSettled() {
        stability.trust(folder, "a");
        assertThat(stability.isSettled(folder, "a")).isTrue();
        assertThat(stability.isSettled(folder, "b")).isFalse();
    }
}
