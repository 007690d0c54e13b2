package dev.onnxserving.deployment;

import dev.onnxserving.registry.ModelState;
import dev.onnxserving.registry.Routing;
import dev.onnxserving.registry.VersionRecord;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What to do to bring one model from what is loaded to what should be: a pure function of the two, with no clock, no
 * disk and no registry behind it.
 *
 * <p>Rules: a version the policy selects is loaded when it is not serving, or when its files changed since its
 * serving instance loaded (unless those same files failed already). A version that failed with the files on disk now
 * is left out and the policy chooses again among the others, so {@code latest} falls back to the newest version that
 * loads; versions in {@code retry} are tried anyway. Folders still changing never load; a serving version whose
 * folder is changing keeps serving. With unusable model files nothing loads, the selected versions show FAILED with
 * the reason (serving instances keep serving), and the routing is left as it is. Versions no longer selected retire;
 * FAILED ones stay listed while the policy would select them.
 *
 * <p>The caller loads {@link Plan#load()}, then plans again with the new state, until nothing is left to load; only
 * that last plan's retirements and routing apply. Every load either serves or fails with the files it used, so this
 * ends.
 */
final class ReconciliationPlan {

    private ReconciliationPlan() {}

    /**
     * What should be.
     *
     * @param retry versions to load even though they failed with the same files (an operator's load)
     * @param settingsProblem why the model's own files are unusable, when they are
     */
    record Desired(
            VersionPolicy policy,
            VersionOverrides overrides,
            Routing routing,
            Set<Long> retry,
            Optional<String> settingsProblem) {}

    /**
     * What is.
     *
     * @param onDisk each version folder's fingerprint
     * @param settled the folders safe to load
     * @param registered what the registry holds, by version
     */
    record Actual(Map<Long, String> onDisk, Set<Long> settled, Map<Long, VersionRecord> registered) {}

    /**
     * @param load versions to load now, newest first
     * @param fail versions to mark FAILED with the settings problem (the files as they are now have not been tried)
     * @param retire versions to take out of service
     * @param publish whether the policy and routing should be published (not with unusable model files)
     * @param routedButNotReady versions the routing sends requests to that are not READY
     */
    record Plan(List<Long> load, Set<Long> fail, Set<Long> retire, boolean publish, Set<Long> routedButNotReady) {
        boolean isFinal() {
            return load.isEmpty();
        }
    }

    static Plan plan(Desired desired, Actual actual) {
        Set<Long> ready = actual.registered().values().stream()
                .filter(record -> record.state() == ModelState.READY)
                .map(VersionRecord::version)
                .collect(Collectors.toSet());
        Set<Long> routedButNotReady = new TreeSet<>(desired.routing().versionsWithTraffic());
        routedButNotReady.removeAll(ready);
        Set<Long> retireMissing = actual.registered().values().stream()
                .filter(record -> !actual.onDisk().containsKey(record.version()))
                .filter(record -> record.state() != ModelState.LOADING)
                .map(VersionRecord::version)
                .collect(Collectors.toCollection(TreeSet::new));
        if (desired.settingsProblem().isPresent()) {
            Set<Long> fail = desired
                    .overrides()
                    .select(desired.policy(), actual.onDisk().keySet())
                    .stream()
                    .filter(version -> !actual.onDisk().get(version).equals(failedWith(actual, version)))
                    .collect(Collectors.toCollection(TreeSet::new));
            return new Plan(List.of(), fail, retireMissing, false, routedButNotReady);
        }
        Set<Long> candidates = actual.onDisk().keySet().stream()
                .filter(version -> actual.settled().contains(version) || ready.contains(version))
                .collect(Collectors.toSet());
        Set<Long> usable = candidates.stream()
                .filter(version -> ready.contains(version)
                        || desired.retry().contains(version)
                        || !actual.onDisk().get(version).equals(failedWith(actual, version)))
                .collect(Collectors.toSet());
        SortedSet<Long> wanted = desired.overrides().select(desired.policy(), usable);
        List<Long> load = wanted.stream()
                .filter(actual.settled()::contains)
                .filter(version -> needsLoading(version, ready, desired.retry(), actual))
                .sorted(Comparator.reverseOrder())
                .toList();
        SortedSet<Long> selected = desired.overrides().select(desired.policy(), candidates);
        Set<Long> retire = actual.registered().values().stream()
                .filter(record -> record.state() != ModelState.LOADING)
                .filter(record -> record.state() == ModelState.FAILED
                        ? !selected.contains(record.version())
                        : !wanted.contains(record.version()))
                .map(VersionRecord::version)
                .collect(Collectors.toCollection(TreeSet::new));
        retire.addAll(retireMissing);
        return new Plan(load, Set.of(), retire, true, routedButNotReady);
    }

    private static boolean needsLoading(long version, Set<Long> ready, Set<Long> retry, Actual actual) {
        if (!ready.contains(version)) {
            return true;
        }
        String fingerprint = actual.onDisk().get(version);
        VersionRecord serving = actual.registered().get(version);
        return !fingerprint.equals(serving.loadedFingerprint())
                && (!fingerprint.equals(serving.failedFingerprint()) || retry.contains(version));
    }

    private static String failedWith(Actual actual, long version) {
        VersionRecord record = actual.registered().get(version);
        return record == null ? "" : record.failedFingerprint();
    }
}
