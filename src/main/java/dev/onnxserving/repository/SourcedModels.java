package dev.onnxserving.repository;

import java.util.Set;
import java.util.TreeSet;

/**
 * The models that come from a source rather than from the local folder: their files live in the cache. The sync
 * replaces the set as configuration and the repository source change; the repository reads it on every look.
 * Thread-safe.
 */
public final class SourcedModels {

    private volatile Set<String> names = Set.of();

    /** Whether {@code name} (exactly as its folder is called) comes from a source. */
    public boolean contains(String name) {
        return names.contains(name);
    }

    /** Every sourced model, by name. */
    public Set<String> names() {
        return names;
    }

    /** Replaces the set; returns whether it changed. */
    public boolean replace(Set<String> next) {
        Set<String> copy = Set.copyOf(next);
        boolean changed = !copy.equals(names);
        names = copy;
        return changed;
    }

    @Override
    public String toString() {
        return new TreeSet<>(names).toString();
    }
}
