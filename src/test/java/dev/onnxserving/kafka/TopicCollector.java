package dev.onnxserving.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/** Reads a topic (committed records only) on a thread of its own until closed, keeping every record in order. */
final class TopicCollector implements AutoCloseable {

    private record Awaited(Predicate<List<ConsumerRecord<byte[], byte[]>>> done, CountDownLatch latch) {}

    private final List<ConsumerRecord<byte[], byte[]>> records = new CopyOnWriteArrayList<>();
    private final List<Awaited> awaited = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean open = true;

    TopicCollector(String topic) {
        KafkaConsumer<byte[], byte[]> consumer = KafkaTestBroker.readCommitted(topic);
        thread = new Thread(
                () -> {
                    try (consumer) {
                        while (open) {
                            consumer.poll(Duration.ofMillis(100)).forEach(records::add);
                            awaited.forEach(this::check);
                        }
                    }
                },
                "collect-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    List<ConsumerRecord<byte[], byte[]>> records() {
        return new ArrayList<>(records);
    }

    int size() {
        return records.size();
    }

    /** Waits (polling every 50ms) until {@code done} holds for what came, failing after {@code deadline}. */
    void awaitUntil(String what, Predicate<List<ConsumerRecord<byte[], byte[]>>> done, Duration deadline)
            throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        while (!done.test(records)) {
            if (System.nanoTime() > end) {
                throw new AssertionError(
                        "not within " + deadline + ": " + what + "; " + records.size() + " records came");
            }
            Thread.sleep(50);
        }
    }

    /** A latch counted down (on the reading thread, after a poll) once {@code done} holds for what came. */
    CountDownLatch when(Predicate<List<ConsumerRecord<byte[], byte[]>>> done) {
        Awaited waiting = new Awaited(done, new CountDownLatch(1));
        awaited.add(waiting);
        check(waiting);
        return waiting.latch();
    }

    private void check(Awaited waiting) {
        if (waiting.latch().getCount() > 0 && waiting.done().test(records)) {
            waiting.latch().countDown();
            awaited.remove(waiting);
        }
    }

    @Override
    public void close() throws InterruptedException {
        open = false;
        thread.join(10_000);
    }
}
