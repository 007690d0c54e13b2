package dev.onnxserving.deployment;

import java.util.Collection;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What operators changed through the management API on top of a model's version policy: versions loaded in addition
 * to it, versions kept out of it, or the whole model unloaded. A change of the model's configuration clears them.
 *
 * @param unloaded the whole model is unloaded: only {@code pinned} versions serve
 * @param pinned versions served whatever the policy selects
 * @param excluded versions never served; the policy chooses among the others (unloading the newest version under
 *     {@code latest} falls back to the one before)
 */
public record VersionOverrides(boolean unloaded, Set<Long> pinned, Set<Long> excluded) {

    public static final VersionOverrides NONE = new VersionOverrides(false, Set.of(), Set.of());

    public VersionOverrides {
        pinned = Set.copyOf(pinned);
        excluded = Set.copyOf(excluded);
    }

    /** The versions to serve out of {@code available} under {@code policy}. */
    public SortedSet<Long> select(VersionPolicy policy, Collection<Long> available) {
        SortedSet<Long> selected = new TreeSet<>();
        if (!unloaded) {
            selected.addAll(policy.select(
                    available.stream().filter(v -> !excluded.contains(v)).toList()));
        }
        available.stream().filter(pinned::contains).forEach(selected::add);
        return selected;
    }

    public VersionOverrides load(long version) {
        Set<Long> newPinned = new TreeSet<>(pinned);
        newPinned.add(version);
        Set<Long> newExcluded = new TreeSet<>(excluded);
        newExcluded.remove(version);
        return new VersionOverrides(unloaded, newPinned, newExcluded);
    }

    public VersionOverrides unload(long version) {
        Set<Long> newPinned = new TreeSet<>(pinned);
        newPinned.remove(version);
        Set<Long> newExcluded = new TreeSet<>(excluded);
        newExcluded.add(version);
        return new VersionOverrides(unloaded, newPinned, newExcluded);
    }

    public static VersionOverrides unloadedModel() {
        return new VersionOverrides(true, Set.of(), Set.of());
    }

    /** The policy with these overrides, as the models listing shows it. */
    public String describe(VersionPolicy policy) {
        StringBuilder text = new StringBuilder(policy.toString());
        if (unloaded) {
            text.append("; unloaded by the management API");
        }
        if (!pinned.isEmpty()) {
            text.append("; loaded by the management API: ").append(new TreeSet<>(pinned));
        }
        if (!excluded.isEmpty()) {
            text.append("; unloaded by the management API: ").append(new TreeSet<>(excluded));
        }
        return text.toString();
    }

    public boolean isEmpty() {
        return !unloaded && pinned.isEmpty() && excluded.isEmpty();
    }
}
