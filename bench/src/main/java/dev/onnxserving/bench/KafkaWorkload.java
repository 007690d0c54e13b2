package dev.onnxserving.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Kafka workload: a KRaft broker on loopback (Spring Kafka's embedded broker, as the service's tests start it),
 * {@code records} minilm records pre-loaded on an input topic of {@value #PARTITIONS} partitions, then the service's
 * jar started with one binding, batching on and then off, each time on topics of its own; records/s from the first
 * output record to the last (the outputs' own timestamps), and the mean batch the service formed.
 *
 * <p>Arguments: service jar, models folder, request body file, results file, records, HTTP port, work folder.
 */
public final class KafkaWorkload {

    private static final int PARTITIONS = 4;
    private static final Duration DEADLINE = Duration.ofMinutes(10);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private KafkaWorkload() {}

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        Path models = Path.of(args[1]);
        byte[] body = Files.readAllBytes(Path.of(args[2]));
        Path results = Path.of(args[3]);
        int records = Integer.parseInt(args[4]);
        int port = Integer.parseInt(args[5]);
        Path work = Path.of(args[6]);

        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, PARTITIONS);
        broker.brokerProperties(Map.of(
                "offsets.topic.replication.factor", "1",
                "transaction.state.log.replication.factor", "1",
                "transaction.state.log.min.isr", "1",
                "group.initial.rebalance.delay.ms", "0"));
        broker.afterPropertiesSet();
        ArrayNode out = JSON.createArrayNode();
        try {
            String servers = broker.getBrokersAsString();
            for (boolean batching : List.of(true, false)) {
                String in = "minilm-in-batching-" + batching;
                String output = "minilm-out-batching-" + batching;
                broker.addTopics(
                        new NewTopic(in, PARTITIONS, (short) 1),
                        new NewTopic(output, PARTITIONS, (short) 1),
                        new NewTopic(in + "-dlt", PARTITIONS, (short) 1));
                preload(servers, in, body, records);
                Process service = start(jar, models, servers, in, output, batching, port, work);
                try {
                    ObjectNode point = measure(servers, output, records, service);
                    point.put("batching", batching);
                    point.put("mean_batch", meanBatch(port));
                    System.out.println("[bench kafka] " + point);
                    out.add(point);
                } finally {
                    stop(service);
                }
            }
        } finally {
            broker.destroy();
        }
        Files.writeString(results, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(out) + "\n");
    }

    private static void preload(String servers, String topic, byte[] body, int records) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                servers,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.LINGER_MS_CONFIG,
                5,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class))) {
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(topic, i % PARTITIONS, ("k" + i).getBytes(), body));
            }
            producer.flush();
        }
    }

    private static Process start(
            Path jar, Path models, String servers, String in, String out, boolean batching, int port, Path work)
            throws IOException {
        String binding = "--serving.kafka.bindings.minilm.";
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-Xms1g",
                "-Xmx1g",
                "-jar",
                jar.toString(),
                "--server.port=" + port,
                "--server.address=127.0.0.1",
                "--serving.repository.path=" + models,
                "--serving.models.minilm.batching.enabled=" + batching,
                // a whole poll (500 records, Kafka's default) fits in the queue: no pauses for a full queue
                "--serving.batching.max-queue-size=500",
                "--spring.kafka.bootstrap-servers=" + servers,
                binding + "input-topic=" + in,
                binding + "output-topic=" + out,
                binding + "dead-letter-topic=" + in + "-dlt",
                binding + "model=minilm",
                "--logging.level.root=WARN"));
        Path log = work.resolve("server-kafka-batching-" + batching + ".log");
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    /** Reads the output topic until {@code records} outputs came; their first and last timestamps give the rate. */
    private static ObjectNode measure(String servers, String topic, int records, Process service) {
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        int count = 0;
        int failed = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                servers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class))) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                partitions.add(new TopicPartition(topic, p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long end = System.nanoTime() + DEADLINE.toNanos();
            while (count < records) {
                if (System.nanoTime() > end || !service.isAlive()) {
                    throw new IllegalStateException(count + " of " + records + " outputs, the service "
                            + (service.isAlive() ? "still running after " + DEADLINE : "ended (see its log)"));
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    count++;
                    first = Math.min(first, record.timestamp());
                    last = Math.max(last, record.timestamp());
                    var outcome = record.headers().lastHeader("serving-outcome");
                    if (outcome == null || !"success".equals(new String(outcome.value()))) {
                        failed++;
                    }
                }
            }
        }
        double seconds = (last - first) / 1000.0;
        ObjectNode point = JSON.createObjectNode();
        point.put("records", count);
        point.put("not_success", failed);
        point.put("seconds", seconds);
        point.put("records_per_second", seconds > 0 ? (count - 1) / seconds : 0);
        return point;
    }

    /** Rows per batch of minilm over the run, from the service's serving_batch_size summary; 0 without batches. */
    private static double meanBatch(int port) throws IOException, InterruptedException {
        HttpResponse<String> scrape = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus"))
                                .timeout(Duration.ofSeconds(30))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        double sum = 0;
        double count = 0;
        for (String line : scrape.body().split("\n")) {
            if (!line.contains("model=\"minilm\"")) {
                continue;
            }
            double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            if (line.startsWith("serving_batch_size_sum")) {
                sum += value;
            } else if (line.startsWith("serving_batch_size_count")) {
                count += value;
            }
        }
        return count > 0 ? sum / count : 0;
    }

    private static void stop(Process service) throws InterruptedException {
        service.destroy();
        if (!service.waitFor(60, TimeUnit.SECONDS)) {
            service.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }
}
