package dev.onnxserving.kafka;

import dev.onnxserving.inference.InferenceService;
import dev.onnxserving.inference.RequestDeadlines;
import dev.onnxserving.kafka.KafkaStreamingProperties.Binding;
import dev.onnxserving.kafka.KafkaStreamingProperties.Delivery;
import dev.onnxserving.observability.MetricsProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.task.VirtualThreadTaskExecutor;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Kafka bindings, only when {@code serving.kafka.bindings} names one: otherwise no Kafka client, thread or
 * health contributor exists. Consumers and producers come from Spring Boot's auto-configured factories, so
 * {@code spring.kafka.*} (servers, TLS, SASL) and Boot's client metrics apply to them.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(OnKafkaBindings.class)
@EnableConfigurationProperties(KafkaStreamingProperties.class)
class KafkaStreamingConfiguration {

    /** Threads answering a poll's records on a JVM without virtual threads. */
    private static final int PLATFORM_THREADS = 64;

    @Bean
    KafkaBindings kafkaBindings(
            KafkaStreamingProperties properties,
            ConsumerFactory<?, ?> consumers,
            ProducerFactory<?, ?> producers,
            InferenceService inference,
            RequestDeadlines deadlines,
            JsonMapper json,
            MeterRegistry meters,
            MetricsProperties metricsSettings,
            ObjectProvider<ObservationRegistry> observations,
            Environment environment) {
        StreamingMetrics metrics = new StreamingMetrics(meters, metricsSettings.latencyBounds());
        ObservationRegistry observationRegistry = observations.getIfAvailable(() -> ObservationRegistry.NOOP);
        Clock clock = Clock.systemUTC();
        List<BindingWorker> workers = new ArrayList<>();
        List<Runnable> closers = new ArrayList<>();
        properties.bindings().forEach((name, binding) -> {
            Executor executor = recordExecutor(name);
            ProducerFactory<byte[], byte[]> producerFactory =
                    producerFactory(producers, name, binding, properties.instanceId());
            KafkaTemplate<byte[], byte[]> template = new KafkaTemplate<>(producerFactory);
            template.setAllowNonTransactional(binding.delivery() == Delivery.AT_LEAST_ONCE);
            // named after its binding in the spring.kafka.template observation's tags
            template.setBeanName("kafka-" + name);
            template.setObservationEnabled(true);
            template.setObservationRegistry(observationRegistry);
            workers.add(new BindingWorker(
                    name,
                    binding,
                    new RecordHandler(binding, inference, deadlines, json, clock),
                    consumer(consumers, name, binding),
                    template,
                    executor,
                    metrics,
                    observationRegistry,
                    clock));
            closers.add(() -> {
                if (executor instanceof ExecutorService service) {
                    service.shutdown();
                }
                if (producerFactory instanceof DisposableBean disposable) {
                    try {
                        disposable.destroy();
                    } catch (Exception e) {
                        throw new IllegalStateException("closing the producers of binding '" + name + "'", e);
                    }
                }
            });
        });
        Duration timeout = environment.getProperty(
                "spring.lifecycle.timeout-per-shutdown-phase", Duration.class, Duration.ofSeconds(30));
        return new KafkaBindings(workers, closers, timeout);
    }

    @Bean(destroyMethod = "close")
    BrokerProbe kafkaBrokerProbe(KafkaAdmin admin) {
        return new BrokerProbe(admin.getConfigurationProperties());
    }

    /** Health contributor {@code kafka}: one indicator per binding, its broker's reachability in the details. */
    @Bean
    CompositeHealthContributor kafkaHealthContributor(KafkaBindings bindings, BrokerProbe probe) {
        Map<String, HealthIndicator> indicators = new LinkedHashMap<>();
        bindings.workers().forEach(worker -> indicators.put(worker.name(), new BindingHealthIndicator(worker, probe)));
        return CompositeHealthContributor.fromMap(indicators);
    }

    /** Readiness covers the bindings: the {@code kafka} contributor joins the readiness group. */
    @Bean
    static ReadinessWithBindings kafkaReadiness() {
        return new ReadinessWithBindings();
    }

    @SuppressWarnings("unchecked")
    private static Consumer<byte[], byte[]> consumer(ConsumerFactory<?, ?> factory, String name, Binding binding) {
        Properties overrides = new Properties();
        overrides.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        overrides.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        overrides.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Map<String, Object> configured = factory.getConfigurationProperties();
        // a new group reads its topic from the start (nothing sent before the binding started is skipped), and only
        // what producers committed; spring.kafka.consumer.* may say otherwise
        if (!configured.containsKey(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG)) {
            overrides.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        }
        if (!configured.containsKey(ConsumerConfig.ISOLATION_LEVEL_CONFIG)) {
            overrides.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        }
        return ((ConsumerFactory<byte[], byte[]>) factory)
                .createConsumer(binding.groupFor(name), "onnx-serving-" + name, null, overrides);
    }

    private static ProducerFactory<byte[], byte[]> producerFactory(
            ProducerFactory<?, ?> producers, String name, Binding binding, String instanceId) {
        Map<String, Object> overrides = new LinkedHashMap<>();
        overrides.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        overrides.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        overrides.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        overrides.put(ProducerConfig.CLIENT_ID_CONFIG, "onnx-serving-" + name);
        ProducerFactory<?, ?> copy = producers.copyWithConfigurationOverride(overrides);
        if (binding.delivery() == Delivery.EXACTLY_ONCE) {
            if (!(copy instanceof DefaultKafkaProducerFactory<?, ?> transactional)) {
                throw new IllegalStateException("binding '" + name
                        + "' is exactly-once, which needs Spring Kafka's DefaultKafkaProducerFactory");
            }
            transactional.setTransactionIdPrefix("onnx-serving-" + name + "-" + instanceId + "-");
        }
        @SuppressWarnings("unchecked")
        ProducerFactory<byte[], byte[]> bytes = (ProducerFactory<byte[], byte[]>) copy;
        return bytes;
    }

    private static Executor recordExecutor(String name) {
        if (Runtime.version().feature() >= 21) {
            return new VirtualThreadTaskExecutor("kafka-" + name + "-record-");
        }
        return Executors.newFixedThreadPool(PLATFORM_THREADS, runnable -> {
            Thread thread = new Thread(runnable, "kafka-" + name + "-record");
            thread.setDaemon(true);
            return thread;
        });
    }
}
