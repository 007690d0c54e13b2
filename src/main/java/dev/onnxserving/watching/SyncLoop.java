package dev.onnxserving.watching;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A daemon thread that runs a round, then waits as long as the round says or until woken up. A failing round is
 * logged and the next one waits at least a second, so nothing ever spins.
 */
final class SyncLoop {

    private static final Logger log = LoggerFactory.getLogger(SyncLoop.class);
    private static final Duration AFTER_ERROR = Duration.ofSeconds(1);

    private final Supplier<Duration> round;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private boolean woken;
    private boolean stopped;
    private Thread thread;

    SyncLoop(Supplier<Duration> round) {
        this.round = round;
    }

    /** Starts the thread; its first round runs after {@code firstWait}. */
    void start(Duration firstWait) {
        lock.lock();
        try {
            if (thread != null || stopped) {
                return;
            }
            thread = new Thread(() -> run(firstWait), "model-source-sync");
            thread.setDaemon(true);
            thread.start();
        } finally {
            lock.unlock();
        }
    }

    /** Runs a round now (once the one running has finished). */
    void wake() {
        lock.lock();
        try {
            woken = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void close() {
        Thread running;
        lock.lock();
        try {
            stopped = true;
            changed.signalAll();
            running = thread;
        } finally {
            lock.unlock();
        }
        if (running != null) {
            running.interrupt();
            try {
                running.join(Duration.ofSeconds(10).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run(Duration firstWait) {
        Duration wait = firstWait;
        while (await(wait)) {
            try {
                wait = round.get();
            } catch (RuntimeException e) {
                log.error("Syncing the model sources failed; trying again in {} ms", AFTER_ERROR.toMillis(), e);
                wait = AFTER_ERROR;
            }
        }
    }

    /** Waits for {@code wait} or a wake-up; false once stopped. */
    private boolean await(Duration wait) {
        lock.lock();
        try {
            long nanos = wait.toNanos();
            while (!woken && !stopped && nanos > 0) {
                nanos = changed.awaitNanos(nanos);
            }
            woken = false;
            return !stopped;
        } catch (InterruptedException e) {
            return false;
        } finally {
            lock.unlock();
        }
    }
}
