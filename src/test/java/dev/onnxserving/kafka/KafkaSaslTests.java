package dev.onnxserving.kafka;

import static dev.onnxserving.kafka.KafkaTestBroker.bytes;
import static dev.onnxserving.kafka.KafkaTestBroker.header;
import static dev.onnxserving.kafka.KafkaTestBroker.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.onnxserving.testing.TestRepository;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A broker in KRaft mode whose only client listener speaks SASL/PLAIN: the service, configured through Spring Boot's
 * {@code spring.kafka.*}, reads and answers over it, and a wrong password is reported by the binding's health.
 */
@Timeout(180)
class KafkaSaslTests {

    private static final String JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required"
            + " username=\"plain-admin\" password=\"%s\";";

    @Test
    void aBindingReadsAndAnswersOverSaslPlain() throws Exception {
        try (KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                        .setCombined(true)
                        .setNumBrokerNodes(1)
                        .setNumControllerNodes(1)
                        .setBrokerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT)
                        .setControllerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT)
                        .build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .build()) {
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            Properties client = sasl(cluster, "plain-admin-secret");
            try (Admin admin = Admin.create(client)) {
                admin.createTopics(
                                List.of(new NewTopic("sasl-in", 1, (short) 1), new NewTopic("sasl-out", 1, (short) 1)))
                        .all()
                        .get();
            }
            try (KafkaProducer<byte[], byte[]> producer = producer(client)) {
                producer.send(new ProducerRecord<>(
                                "sasl-in", bytes("f1"), bytes("{\"instances\": [[5.1, 3.5, 1.4, 0.2]]}")))
                        .get();
            }
            TestRepository repository = TestRepository.create("kafka-sasl").copy("iris", "iris", 2);
            Map<String, Object> properties = new HashMap<>();
            properties.put("serving.repository.path", repository.root().toString());
            properties.put("spring.kafka.bootstrap-servers", cluster.bootstrapServers());
            properties.put("spring.kafka.security.protocol", "SASL_PLAINTEXT");
            properties.put("spring.kafka.properties.sasl.mechanism", "PLAIN");
            properties.put("spring.kafka.properties.sasl.jaas.config", JAAS.formatted("plain-admin-secret"));
            properties.putAll(ServingApp.binding(
                    "sasl", Map.of("input-topic", "sasl-in", "output-topic", "sasl-out", "model", "iris")));
            ConfigurableApplicationContext app = ServingApp.start(properties);
            try (KafkaConsumer<byte[], byte[]> consumer = consumer(client, "sasl-out")) {
                List<ConsumerRecord<byte[], byte[]>> outputs = new ArrayList<>();
                long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (outputs.isEmpty() && System.nanoTime() < end) {
                    consumer.poll(Duration.ofMillis(200)).forEach(outputs::add);
                }
                assertThat(outputs).hasSize(1);
                assertThat(text(outputs.get(0).key())).isEqualTo("f1");
                assertThat(header(outputs.get(0), OutputRecords.OUTCOME_HEADER)).isEqualTo("success");
                assertThat(text(outputs.get(0).value())).startsWith("{\"model\":\"iris\",\"version\":\"2\"");
            } finally {
                app.close();
            }
            Map<String, Object> wrong = new HashMap<>();
            sasl(cluster, "not-the-password").forEach((key, value) -> wrong.put((String) key, value));
            try (BrokerProbe probe = new BrokerProbe(wrong)) {
                BrokerProbe.Reach reach = probe.check();
                assertThat(reach.reachable()).isFalse();
                assertThat(reach.detail()).startsWith("unreachable: ").containsIgnoringCase("authentication");
            }
        }
    }

    private static Properties sasl(KafkaClusterTestKit cluster, String password) {
        Properties properties = new Properties();
        properties.put("bootstrap.servers", cluster.bootstrapServers());
        properties.put("security.protocol", "SASL_PLAINTEXT");
        properties.put("sasl.mechanism", "PLAIN");
        properties.put("sasl.jaas.config", JAAS.formatted(password));
        return properties;
    }

    private static KafkaProducer<byte[], byte[]> producer(Properties client) {
        Properties properties = new Properties();
        properties.putAll(client);
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return new KafkaProducer<>(properties);
    }

    private static KafkaConsumer<byte[], byte[]> consumer(Properties client, String topic) {
        Properties properties = new Properties();
        properties.putAll(client);
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties);
        TopicPartition partition = new TopicPartition(topic, 0);
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        return consumer;
    }
}
