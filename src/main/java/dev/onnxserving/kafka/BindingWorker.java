package dev.onnxserving.kafka;

import dev.onnxserving.kafka.KafkaStreamingProperties.Binding;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.micrometer.KafkaRecordReceiverContext;

/**
 * The poll loop of one binding, on its own thread: poll, answer the poll's records concurrently (so the dynamic
 * batcher sees them together), write the outputs in input order per partition, and commit each input offset only
 * once its output (and dead letter) is acknowledged, or, exactly-once, in the same transaction. A record the model's
 * queue has no room for pauses its partition, which is rewound to it and resumed after the retry backoff. Everything
 * polled is written and committed before the next poll, so a partition revoked in a rebalance has nothing pending.
 * The consumer is used by the loop's thread only; the health state is read from any thread.
 */
final class BindingWorker implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(BindingWorker.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(250);

    enum State {
        STARTING,
        RUNNING,
        STOPPED
    }

    /** A record in flight: its observation and the answer being worked out. */
    private record Handling(
            ConsumerRecord<byte[], byte[]> record, Observation observation, CompletableFuture<Answer> answer) {}

    /** A record answered, to be written. */
    private record Done(ConsumerRecord<byte[], byte[]> record, Observation observation, Answer answer) {}

    private final String name;
    private final Binding binding;
    private final RecordHandler handler;
    private final Consumer<byte[], byte[]> consumer;
    private final KafkaTemplate<byte[], byte[]> template;
    private final Executor records;
    private final StreamingMetrics metrics;
    private final ObservationRegistry observations;
    private final Clock clock;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final PausedPartitions paused;

    private Integer outputPartitions;
    private volatile boolean running = true;
    private volatile State state = State.STARTING;
    private volatile String lastError;
    private volatile Set<TopicPartition> assigned = Set.of();

    BindingWorker(
            String name,
            Binding binding,
            RecordHandler handler,
            Consumer<byte[], byte[]> consumer,
            KafkaTemplate<byte[], byte[]> template,
            Executor records,
            StreamingMetrics metrics,
            ObservationRegistry observations,
            Clock clock) {
        this.name = name;
        this.binding = binding;
        this.handler = handler;
        this.consumer = consumer;
        this.template = template;
        this.records = records;
        this.metrics = metrics;
        this.observations = observations;
        this.clock = clock;
        this.paused = new PausedPartitions(consumer, binding.retryBackoff());
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(binding.inputTopic()), new Rebalance());
            state = State.RUNNING;
            while (running) {
                cycle();
            }
        } catch (RuntimeException e) {
            lastError = describe(e);
            log.error("Kafka binding '{}' stopped: {}", name, lastError, e);
        } finally {
            state = State.STOPPED;
            try {
                consumer.close(Duration.ofSeconds(10));
            } finally {
                finished.countDown();
            }
        }
    }

    /** Stops polling; what is in flight is still answered, written and committed. */
    void stop() {
        running = false;
    }

    /** @return whether the loop ended (and closed its consumer) within {@code timeout} */
    boolean awaitStopped(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    String name() {
        return name;
    }

    Binding binding() {
        return binding;
    }

    State state() {
        return state;
    }

    String lastError() {
        return lastError;
    }

    Set<TopicPartition> assigned() {
        return assigned;
    }

    Set<TopicPartition> paused() {
        return paused.view();
    }

    private void cycle() {
        paused.resumeDue();
        ConsumerRecords<byte[], byte[]> polled;
        try {
            polled = consumer.poll(paused.pollTimeout(POLL_TIMEOUT));
        } catch (KafkaException e) {
            lastError = describe(e);
            log.warn("Kafka binding '{}' could not poll: {}", name, lastError);
            sleep(binding.retryBackoff());
            return;
        }
        for (TopicPartition partition : assigned) {
            consumer.currentLag(partition).ifPresent(lag -> metrics.lag(name, partition, lag));
        }
        if (!polled.isEmpty()) {
            process(polled);
        }
    }

    private void process(ConsumerRecords<byte[], byte[]> polled) {
        Map<TopicPartition, List<Handling>> byPartition = new LinkedHashMap<>();
        for (TopicPartition partition : polled.partitions()) {
            List<Handling> handlings = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> record : polled.records(partition)) {
                handlings.add(start(record));
            }
            byPartition.put(partition, handlings);
        }
        List<Done> done = new ArrayList<>();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        Map<TopicPartition, Long> firstOffsets = new HashMap<>();
        byPartition.forEach((partition, handlings) -> {
            boolean refused = false;
            for (Handling handling : handlings) {
                if (refused) {
                    handling.answer()
                            .whenComplete(
                                    (answer, failure) -> handling.observation().stop());
                    continue;
                }
                Answer answer = handling.answer().join();
                long offset = handling.record().offset();
                if (answer == RecordHandler.REFUSED) {
                    refused = true;
                    handling.observation().stop();
                    consumer.seek(partition, offset);
                    paused.pause(partition);
                    metrics.paused(name);
                    continue;
                }
                done.add(new Done(handling.record(), handling.observation(), answer));
                offsets.put(partition, new OffsetAndMetadata(offset + 1));
                firstOffsets.putIfAbsent(partition, offset);
            }
        });
        if (done.isEmpty()) {
            return;
        }
        try {
            deliver(done, offsets);
            long now = clock.millis();
            for (Done record : done) {
                metrics.answered(
                        name,
                        record.answer(),
                        Duration.ofMillis(now - record.record().timestamp()));
                record.observation().stop();
            }
            lastError = null;
        } catch (RuntimeException e) {
            lastError = describe(e);
            log.warn(
                    "Kafka binding '{}' could not write {} answers; they are read and written again: {}",
                    name,
                    done.size(),
                    lastError);
            done.forEach(record -> record.observation().error(e).stop());
            firstOffsets.forEach((partition, offset) -> {
                consumer.seek(partition, offset);
                paused.pause(partition);
            });
        }
    }

    private Handling start(ConsumerRecord<byte[], byte[]> record) {
        Observation observation = Observation.createNotStarted(
                        "serving.kafka.record",
                        () -> new KafkaRecordReceiverContext(record, name, () -> null),
                        observations)
                .lowCardinalityKeyValue("binding", name)
                .contextualName(binding.inputTopic() + " process")
                .start();
        CompletableFuture<Answer> answer =
                CompletableFuture.supplyAsync(() -> observation.scoped(() -> handler.handle(record)), records);
        return new Handling(record, observation, answer);
    }

    /** Writes every answer (in order) and commits the offsets: after the acknowledgements, or in one transaction. */
    private void deliver(List<Done> done, Map<TopicPartition, OffsetAndMetadata> offsets) {
        if (binding.delivery() == KafkaStreamingProperties.Delivery.EXACTLY_ONCE) {
            template.executeInTransaction(operations -> {
                send(operations, done);
                operations.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
                return null;
            });
            return;
        }
        CompletableFuture.allOf(send(template, done).toArray(CompletableFuture[]::new))
                .join();
        consumer.commitSync(offsets);
    }

    private List<CompletableFuture<?>> send(KafkaOperations<byte[], byte[]> operations, List<Done> done) {
        List<CompletableFuture<?>> acknowledgements = new ArrayList<>(done.size());
        for (Done record : done) {
            try (Observation.Scope scope = record.observation().openScope()) {
                acknowledgements.add(operations.send(OutputRecords.output(
                        binding.outputTopic(),
                        outputPartition(operations, record.record()),
                        record.record(),
                        record.answer())));
                if (record.answer().problem() != null) {
                    acknowledgements.add(operations.send(
                            OutputRecords.deadLetter(binding.deadLetters(), record.record(), record.answer())));
                }
            }
        }
        return acknowledgements;
    }

    /** The input's partition number when the output topic has it (so per-partition order is kept), else the key's. */
    private Integer outputPartition(KafkaOperations<byte[], byte[]> operations, ConsumerRecord<byte[], byte[]> input) {
        if (outputPartitions == null) {
            outputPartitions = operations.partitionsFor(binding.outputTopic()).size();
        }
        return input.partition() < outputPartitions ? input.partition() : null;
    }

    private void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private static String describe(Throwable e) {
        Throwable cause =
                e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    /** Keeps the health state; nothing is pending at a revocation (everything polled was written and committed). */
    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            paused.revoked(partitions);
            assigned = Set.copyOf(consumer.assignment().stream()
                    .filter(partition -> !partitions.contains(partition))
                    .toList());
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            assigned = Set.copyOf(consumer.assignment());
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            onPartitionsRevoked(partitions);
        }
    }
}
