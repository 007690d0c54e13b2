package dev.onnxserving.registry;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state transitions of one model's versions: LOADING, READY, FAILED, UNLOADING, and the retirement of instances
 * that are replaced or removed (they close once their last lease is released). Counts the instances not yet closed.
 * Thread-safe; each transition replaces the model's snapshot atomically.
 */
final class VersionStates {

    private static final Logger log = LoggerFactory.getLogger(VersionStates.class);

    private final ModelEvents events;
    private final Clock clock;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger draining = new AtomicInteger();

    VersionStates(ModelEvents events, Clock clock) {
        this.events = events;
        this.clock = clock;
    }

    void loading(String name, ModelEntry entry, long version) {
        entry.updateSlots(slots -> {
            VersionSlot current = slots.get(version);
            if (current == null || current.state() != ModelState.READY) {
                slots.put(
                        version,
                        new VersionSlot(version, ModelState.LOADING, "loading", clock.instant(), null, "", ""));
            }
            return null;
        });
        log.info("Model {}/{} is LOADING", name, version);
        events.versionStateChanged(name, version, ModelState.LOADING);
    }

    void ready(String name, ModelEntry entry, long version, LoadedVersion loaded, String fingerprint) {
        loaded.onClose(this::closed);
        open.incrementAndGet();
        LoadedVersion replaced = entry.updateSlots(slots -> {
            VersionSlot previous = slots.put(
                    version, new VersionSlot(version, ModelState.READY, "", clock.instant(), loaded, fingerprint, ""));
            return previous == null ? null : previous.loaded();
        });
        log.info("Model {}/{} is READY{}", name, version, replaced == null ? "" : " (replacing the instance before)");
        events.versionStateChanged(name, version, ModelState.READY);
        if (replaced != null) {
            retire(replaced);
        }
    }

    void failed(String name, ModelEntry entry, long version, String reason, String fingerprint) {
        boolean stillServing = entry.updateSlots(slots -> {
            VersionSlot current = slots.get(version);
            if (current != null && current.state() == ModelState.READY) {
                slots.put(
                        version,
                        new VersionSlot(
                                version,
                                ModelState.READY,
                                "reload failed: " + reason,
                                current.since(),
                                current.loaded(),
                                current.loadedFingerprint(),
                                fingerprint));
                return true;
            }
            slots.put(
                    version,
                    new VersionSlot(version, ModelState.FAILED, reason, clock.instant(), null, "", fingerprint));
            return false;
        });
        if (stillServing) {
            log.error("Model {}/{} failed to reload, the loaded one keeps serving: {}", name, version, reason);
        } else {
            log.error("Model {}/{} is FAILED: {}", name, version, reason);
            events.versionStateChanged(name, version, ModelState.FAILED);
        }
    }

    void removed(String name, ModelEntry entry, long version) {
        VersionSlot removed = entry.updateSlots(slots -> slots.remove(version));
        if (removed != null) {
            log.info("Model {}/{} is UNLOADING (was {})", name, version, removed.state());
            events.versionStateChanged(name, version, ModelState.UNLOADING);
            if (removed.loaded() != null) {
                retire(removed.loaded());
            }
        }
    }

    int open() {
        return open.get();
    }

    int draining() {
        return draining.get();
    }

    private void retire(LoadedVersion version) {
        draining.incrementAndGet();
        version.retire();
    }

    private void closed(LoadedVersion version, long drainNanos) {
        open.decrementAndGet();
        draining.decrementAndGet();
        events.versionDrained(
                version.context().name(), version.context().version(), Duration.ofNanos(Math.max(0, drainNanos)));
    }
}
