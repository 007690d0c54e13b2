package dev.onnxserving.kafka;

import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;

/**
 * Runs every binding's {@link BindingWorker}, each on its own thread. Polling starts once the application accepts
 * traffic (its models are loaded), not at context start, so no record meets a model that is not loaded yet. Stops
 * before the models are unloaded: stop polling, finish what is in flight, write, commit, close.
 */
class KafkaBindings implements SmartLifecycle {

    /** Stops before the web server's drain and graceful shutdown; the models close only after every phase. */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 256;

    private static final Logger log = LoggerFactory.getLogger(KafkaBindings.class);

    private final List<Runnable> closers;
    private final List<BindingWorker> workers;
    private final Duration shutdownTimeout;
    private volatile boolean running;
    private boolean started;

    /**
     * @param workers the bindings' loops, not started yet
     * @param closers what to close once the loops have ended (the bindings' executors and producers)
     */
    KafkaBindings(List<BindingWorker> workers, List<Runnable> closers, Duration shutdownTimeout) {
        this.workers = List.copyOf(workers);
        this.closers = List.copyOf(closers);
        this.shutdownTimeout = shutdownTimeout;
    }

    List<BindingWorker> workers() {
        return workers;
    }

    @EventListener
    synchronized void readiness(AvailabilityChangeEvent<ReadinessState> event) {
        if (event.getState() == ReadinessState.ACCEPTING_TRAFFIC && running && !started) {
            started = true;
            for (BindingWorker worker : workers) {
                Thread thread = new Thread(worker, "kafka-" + worker.name());
                thread.setDaemon(true);
                thread.start();
                log.info(
                        "Kafka binding '{}': {} -> model '{}' -> {} ({})",
                        worker.name(),
                        worker.binding().inputTopic(),
                        worker.binding().model(),
                        worker.binding().outputTopic(),
                        worker.binding().delivery());
            }
        }
    }

    @Override
    public synchronized void start() {
        running = true;
    }

    @Override
    public void stop() {
        synchronized (this) {
            running = false;
            workers.forEach(BindingWorker::stop);
        }
        try {
            for (BindingWorker worker : workers) {
                if (started && !worker.awaitStopped(shutdownTimeout)) {
                    log.warn("Kafka binding '{}' did not stop within {}", worker.name(), shutdownTimeout);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closers.forEach(Runnable::run);
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
