package dev.onnxserving.kafka;

import static dev.onnxserving.kafka.KafkaTestBroker.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.onnxserving.testing.TestRepository;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two instances of the service in one consumer group on one binding, the second started while records flow: the
 * group rebalances, both instances answer records while both are in it (the partitions are split, not handed over),
 * every input gets its output (at-least-once: duplicates bounded by what one poll had in flight) and the order per
 * partition is kept. The producer keeps at most {@value #IN_FLIGHT} records unanswered, so records flow throughout.
 */
@Timeout(240)
class KafkaRebalanceTests {

    private static final int PARTITIONS = 4;
    private static final int CHUNK = 100;
    /** Records sent but not yet answered, at most: the producer waits for answers beyond that. */
    private static final int IN_FLIGHT = 500;

    /** Records each instance answers while both are in the group, at least. */
    private static final int SHARE = 1_000;

    private static final int MAX_RECORDS = 40_000;
    private static final long WAIT_SECONDS = 90;

    @Test
    void aSecondInstanceJoiningTheGroupTakesPartitionsAndNothingIsLostOrReordered() throws Exception {
        KafkaTestBroker.createTopics(PARTITIONS, "rebalance-in", "rebalance-out", "rebalance-dlt");
        TestRepository repository = TestRepository.create("kafka-rebalance").copy("iris", "iris", 2);
        Map<String, Object> properties = new HashMap<>();
        properties.put("serving.repository.path", repository.root().toString());
        properties.putAll(ServingApp.binding(
                "rebalance",
                Map.of(
                        "input-topic",
                        "rebalance-in",
                        "output-topic",
                        "rebalance-out",
                        "model",
                        "iris",
                        "dead-letter-topic",
                        "rebalance-dlt")));

        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger sent = new AtomicInteger();
        AtomicReference<Throwable> producerFailure = new AtomicReference<>();
        ConfigurableApplicationContext first = null;
        ConfigurableApplicationContext second = null;
        try (TopicCollector outputs = new TopicCollector("rebalance-out")) {
            Thread producer = new Thread(() -> produce(outputs, stop, sent, producerFailure), "rebalance-producer");
            producer.setDaemon(true);
            producer.start();
            first = ServingApp.start(withInstance(properties, "first"));
            awaitOutputs(outputs, "1,000 answers by the first instance", records -> records.size() >= 1_000);

            second = ServingApp.start(withInstance(properties, "second"));
            // the second instance answers once the group has rebalanced; then the first must go on answering too
            ConfigurableApplicationContext joined = second;
            await("the second instance answering")
                    .atMost(Duration.ofSeconds(WAIT_SECONDS))
                    .until(() -> answered(joined) >= SHARE);
            double firstAtShare = answered(first);
            ConfigurableApplicationContext started = first;
            await("the first instance answering beside the second")
                    .atMost(Duration.ofSeconds(WAIT_SECONDS))
                    .until(() -> answered(started) >= firstAtShare + SHARE);
            stop.set(true);
            producer.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            assertThat(producerFailure.get()).as("producer failure").isNull();
            assertThat(producer.isAlive()).as("producer still sending").isFalse();
            int total = sent.get();
            awaitOutputs(
                    outputs,
                    "every input answered",
                    records -> OutputChecks.inputs(records).size() >= total);

            List<ConsumerRecord<byte[], byte[]>> answers = outputs.records();
            assertThat(OutputChecks.inputs(answers)).hasSize(total);
            assertThat(answers.size() - total)
                    .as("duplicates, at most what one poll had in flight")
                    .isLessThanOrEqualTo(500);
            OutputChecks.assertOrderPerPartition(answers, PARTITIONS);
            assertThat(answers)
                    .allSatisfy(answer -> assertThat(KafkaTestBroker.header(answer, OutputRecords.OUTCOME_HEADER))
                            .isEqualTo("success"));
        } finally {
            stop.set(true);
            if (second != null) {
                second.close();
            }
            if (first != null) {
                first.close();
            }
        }
    }

    /** Sends chunks of records round the partitions, keeping at most {@link #IN_FLIGHT} unanswered, until stopped. */
    private static void produce(
            TopicCollector outputs, AtomicBoolean stop, AtomicInteger sent, AtomicReference<Throwable> failure) {
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestBroker.producer()) {
            while (!stop.get() && sent.get() < MAX_RECORDS) {
                int before = sent.get();
                CountDownLatch answered = outputs.when(records -> records.size() >= before - IN_FLIGHT);
                if (!answered.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                    throw new AssertionError("no answers for " + WAIT_SECONDS + "s with " + before + " sent");
                }
                for (int i = 0; i < CHUNK; i++) {
                    int n = sent.getAndIncrement();
                    producer.send(new ProducerRecord<>(
                            "rebalance-in",
                            n % PARTITIONS,
                            bytes("k" + n),
                            bytes("{\"instances\": [[6.7, 3.0, 5.2, " + (n % 3) + ".3]]}")));
                }
                producer.flush();
            }
        } catch (Throwable e) {
            failure.set(e);
        }
    }

    private static Map<String, Object> withInstance(Map<String, Object> properties, String instance) {
        Map<String, Object> all = new HashMap<>(properties);
        all.put("serving.kafka.instance-id", instance);
        return all;
    }

    private static double answered(ConfigurableApplicationContext app) {
        return app.getBean(MeterRegistry.class).find("serving.kafka.records").counters().stream()
                .mapToDouble(counter -> counter.count())
                .sum();
    }

    private static void awaitOutputs(
            TopicCollector outputs, String what, Predicate<List<ConsumerRecord<byte[], byte[]>>> done)
            throws InterruptedException {
        assertThat(outputs.when(done).await(WAIT_SECONDS, TimeUnit.SECONDS))
                .as("%s within %ds; %d records came", what, WAIT_SECONDS, outputs.size())
                .isTrue();
    }
}
