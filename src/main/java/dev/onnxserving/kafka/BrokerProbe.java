package dev.onnxserving.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Whether the brokers of {@code spring.kafka.*} answer: one admin client (made at the first check, closed with the
 * probe), and an answer kept for a few seconds so health checks never pile up on the broker. Thread-safe.
 */
class BrokerProbe implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final Duration KEPT = Duration.ofSeconds(5);

    /**
     * What a check found.
     *
     * @param reachable whether the cluster answered
     * @param detail its cluster id, or why it could not be reached
     */
    record Reach(boolean reachable, String detail) {}

    private final Map<String, Object> configuration;
    private Admin admin;
    private Reach last;
    private long lastAt;

    BrokerProbe(Map<String, Object> configuration) {
        this.configuration = new HashMap<>(configuration);
        this.configuration.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        this.configuration.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        this.configuration.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "onnx-serving-health");
    }

    synchronized Reach check() {
        long now = System.nanoTime();
        if (last != null && now - lastAt < KEPT.toNanos()) {
            return last;
        }
        last = probe();
        lastAt = System.nanoTime();
        return last;
    }

    private Reach probe() {
        try {
            if (admin == null) {
                admin = Admin.create(configuration);
            }
            String cluster = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) TIMEOUT.toMillis()))
                    .clusterId()
                    .get(TIMEOUT.toMillis() + 500, TimeUnit.MILLISECONDS);
            return new Reach(true, "cluster " + cluster);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return new Reach(false, "unreachable: " + cause.getClass().getSimpleName() + ": " + cause.getMessage());
        } catch (TimeoutException e) {
            return new Reach(false, "unreachable: no answer within " + TIMEOUT.toSeconds() + "s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Reach(false, "unreachable: interrupted");
        } catch (RuntimeException e) {
            return new Reach(false, "unreachable: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
            admin = null;
        }
    }
}
