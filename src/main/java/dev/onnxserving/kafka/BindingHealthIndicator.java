package dev.onnxserving.kafka;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * One binding's health: UP while its loop runs and its broker answers; DOWN, saying which, otherwise. Details: the
 * topics, group, delivery, the partitions assigned and paused, the broker and the last error.
 */
class BindingHealthIndicator implements HealthIndicator {

    private final BindingWorker worker;
    private final BrokerProbe probe;

    BindingHealthIndicator(BindingWorker worker, BrokerProbe probe) {
        this.worker = worker;
        this.probe = probe;
    }

    @Override
    public Health health() {
        BrokerProbe.Reach broker = probe.check();
        BindingWorker.State state = worker.state();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("state", state.name());
        details.put("input-topic", worker.binding().inputTopic());
        details.put("output-topic", worker.binding().outputTopic());
        details.put("dead-letter-topic", worker.binding().deadLetters());
        details.put("model", worker.binding().model());
        details.put("delivery", worker.binding().delivery().name());
        details.put("broker", broker.detail());
        details.put("assigned", partitions(worker.assigned()));
        details.put("paused", partitions(worker.paused()));
        if (worker.lastError() != null) {
            details.put("last-error", worker.lastError());
        }
        boolean up = broker.reachable() && state == BindingWorker.State.RUNNING;
        return (up ? Health.up() : Health.down()).withDetails(details).build();
    }

    private static Set<String> partitions(Set<TopicPartition> partitions) {
        Set<String> names = new TreeSet<>();
        partitions.forEach(partition -> names.add(partition.toString()));
        return names;
    }
}
