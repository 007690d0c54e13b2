package dev.onnxserving.registry;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * One model in the registry: its current snapshot, replaced as a whole under this entry's lock so readers never
 * block, and its recent load attempts.
 */
final class ModelEntry {

    private static final int HISTORY = 20;

    private volatile ModelSnapshot snapshot;
    private final Deque<LoadRecord> history = new ArrayDeque<>();

    ModelEntry(ModelSnapshot snapshot) {
        this.snapshot = snapshot;
    }

    ModelSnapshot snapshot() {
        return snapshot;
    }

    /** Replaces the snapshot with {@code change} of it; returns the new one. */
    synchronized ModelSnapshot change(UnaryOperator<ModelSnapshot> change) {
        snapshot = change.apply(snapshot);
        return snapshot;
    }

    /** Changes a copy of the slots with {@code change} and publishes it; returns what {@code change} returned. */
    synchronized <T> T updateSlots(Function<NavigableMap<Long, VersionSlot>, T> change) {
        NavigableMap<Long, VersionSlot> slots = new TreeMap<>(snapshot.slots());
        T result = change.apply(slots);
        snapshot = snapshot.withSlots(slots);
        return result;
    }

    /** Remembers a load attempt; the most recent {@value #HISTORY} are kept. */
    void recordLoad(LoadRecord record) {
        synchronized (history) {
            history.addLast(record);
            while (history.size() > HISTORY) {
                history.removeFirst();
            }
        }
    }

    List<LoadRecord> history() {
        synchronized (history) {
            return List.copyOf(history);
        }
    }
}
