package dev.onnxserving.watching;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A daemon thread that calls {@link #poll()} at an interval, and sooner when a file-system event arrives in one of
 * {@link #directories()}. Events only wake it up: every decision is made by {@code poll()} looking at the disk, so a
 * platform without events (or an event that is lost) still converges at the next interval. A failing poll is logged
 * and retried at the next one.
 */
abstract class Poller implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Poller.class);
    private static final Duration DEBOUNCE = Duration.ofMillis(50);

    private final String threadName;
    private final boolean fileEvents;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Map<Path, WatchKey> keys = new HashMap<>();
    private WatchService events;
    private Thread thread;

    Poller(String threadName, boolean fileEvents) {
        this.threadName = threadName;
        this.fileEvents = fileEvents;
    }

    /** One look at the disk; runs on the poller's thread only. */
    protected abstract void poll();

    /** How long to wait before the next poll when no event comes. */
    protected abstract Duration nextWait();

    /** The folders whose events should wake the poller up now. */
    protected abstract Collection<Path> directories();

    synchronized void start() {
        if (thread != null) {
            return;
        }
        if (fileEvents) {
            try {
                events = FileSystems.getDefault().newWatchService();
            } catch (IOException | UnsupportedOperationException e) {
                log.warn("{}: no file-system events on this platform, polling only: {}", threadName, e.getMessage());
            }
        }
        thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public synchronized void close() {
        stopped.countDown();
        if (events != null) {
            try {
                events.close();
            } catch (IOException e) {
                log.debug("{}: closing the watch service failed: {}", threadName, e.getMessage());
            }
        }
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(Duration.ofSeconds(10).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        while (stopped.getCount() > 0) {
            try {
                registerDirectories();
                poll();
            } catch (RuntimeException e) {
                log.error("{}: checking for changes failed; trying again at the next interval", threadName, e);
            }
            if (!await(nextWait())) {
                return;
            }
        }
    }

    /** Waits for the interval or an event; false once stopped. */
    private boolean await(Duration wait) {
        try {
            if (events == null) {
                return !stopped.await(wait.toNanos(), TimeUnit.NANOSECONDS);
            }
            WatchKey key = events.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
            while (key != null) {
                key.pollEvents();
                key.reset();
                key = events.poll(DEBOUNCE.toNanos(), TimeUnit.NANOSECONDS);
            }
            return stopped.getCount() > 0;
        } catch (InterruptedException | ClosedWatchServiceException e) {
            return false;
        }
    }

    private void registerDirectories() {
        if (events == null) {
            return;
        }
        Set<Path> wanted = new HashSet<>(directories());
        keys.entrySet().removeIf(entry -> {
            if (!wanted.contains(entry.getKey()) || !entry.getValue().isValid()) {
                entry.getValue().cancel();
                return true;
            }
            return false;
        });
        for (Path directory : wanted) {
            if (!keys.containsKey(directory) && Files.isDirectory(directory)) {
                try {
                    keys.put(
                            directory,
                            directory.register(
                                    events,
                                    StandardWatchEventKinds.ENTRY_CREATE,
                                    StandardWatchEventKinds.ENTRY_DELETE,
                                    StandardWatchEventKinds.ENTRY_MODIFY));
                } catch (IOException | ClosedWatchServiceException e) {
                    log.debug("{}: cannot watch {}: {}", threadName, directory, e.getMessage());
                }
            }
        }
    }
}
