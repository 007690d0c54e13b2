package dev.onnxserving.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The partitions a binding paused (a full queue, a failed write) and when each resumes. Used by the poll loop's
 * thread only; {@link #view} may be read from any thread.
 */
final class PausedPartitions {

    private final Consumer<?, ?> consumer;
    private final Duration backoff;
    /** When each paused partition resumes, in System.nanoTime. */
    private final Map<TopicPartition, Long> until = new HashMap<>();

    private volatile Set<TopicPartition> view = Set.of();

    PausedPartitions(Consumer<?, ?> consumer, Duration backoff) {
        this.consumer = consumer;
        this.backoff = backoff;
    }

    /** Pauses {@code partition} until the backoff has passed. */
    void pause(TopicPartition partition) {
        consumer.pause(Set.of(partition));
        until.put(partition, System.nanoTime() + backoff.toNanos());
        view = Set.copyOf(until.keySet());
    }

    /** Resumes the partitions whose backoff has passed. */
    void resumeDue() {
        if (until.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        List<TopicPartition> due = new ArrayList<>();
        until.forEach((partition, resumeAt) -> {
            if (resumeAt - now <= 0) {
                due.add(partition);
            }
        });
        due.forEach(until::remove);
        consumer.resume(due);
        view = Set.copyOf(until.keySet());
    }

    /** Forgets partitions no longer assigned (the consumer forgets their pause itself). */
    void revoked(Collection<TopicPartition> partitions) {
        partitions.forEach(until::remove);
        view = Set.copyOf(until.keySet());
    }

    /** How long a poll may wait: until the next partition resumes, at most {@code longest}. */
    Duration pollTimeout(Duration longest) {
        long now = System.nanoTime();
        long wait = longest.toNanos();
        for (long resumeAt : until.values()) {
            wait = Math.min(wait, Math.max(0, resumeAt - now));
        }
        return Duration.ofNanos(wait);
    }

    Set<TopicPartition> view() {
        return view;
    }
}
