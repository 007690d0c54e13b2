package dev.onnxserving.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onnxserving.deployment.ReconciliationPlan.Actual;
import dev.onnxserving.deployment.ReconciliationPlan.Desired;
import dev.onnxserving.deployment.ReconciliationPlan.Plan;
import dev.onnxserving.registry.ModelState;
import dev.onnxserving.registry.Routing;
import dev.onnxserving.registry.VersionRecord;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ReconciliationPlanTests {

    private static final VersionPolicy LATEST = VersionPolicy.LATEST;
    private static final VersionPolicy ALL = new VersionPolicy.All();
    private static final Routing NO_ROUTING = Routing.NONE;

    /**
     * @param disk {@code version:fingerprint} of every folder on disk; a trailing {@code ~} marks a folder still
     *     changing
     * @param registered {@code version:STATE:loadedFingerprint:failedFingerprint}
     */
    record Case(
            String name,
            VersionPolicy policy,
            VersionOverrides overrides,
            Routing routing,
            Set<Long> retry,
            String settingsProblem,
            List<String> disk,
            List<String> registered,
            List<Long> load,
            Set<Long> fail,
            Set<Long> retire,
            boolean publish,
            Set<Long> routedButNotReady) {

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                        new Case(
                                "a new version under latest loads first; the old one retires after",
                                LATEST,
                                VersionOverrides.NONE,
                                NO_ROUTING,
                                Set.of(),
                                null,
                                List.of("1:a", "2:b"),
                                List.of("1:READY:a:"),
                                List.of(2L),
                                Set.of(),
                                Set.of(1L),
                                true,
                                Set.of()),
                        new Case(
                                "once the new version serves, nothing loads and the old one retires",
                                LATEST,
                                VersionOverrides.NONE,
                                NO_ROUTING,
                                Set.of(),
                                null,
                                List.of("1:a", "2:b"),
                                List.of("1:READY:a:", "2:READY:b:"),
                                List.of(),
                                Set.of(),
                                Set.of(1L),
                                true,
                                Set.of()),
                        new Case(
                                "a version that failed with these files is left out: latest falls back, it stays listed",
                                LATEST,
                                VersionOverrides.NONE,
                                NO_ROUTING,
                                Set.of(),
                                null,
                                List.of("1:a", "2:b"),
                                List.of("1:READY:a:", "2:FAILED::b"),
                                List.of(),
                                Set.of(),
                                Set.of(),
                                true,
                                Set.of()),
                        new Case(
                                "a failed version is tried again once its files changed (model.yaml, labels, model)",
                                LATEST,
                                VersionOverrides.NONE,
                                NO_ROUTING,
                                Set.of(),
                                null,
                                List.of("1:a", "2:b2"),
                                List.of("1:READY:a:", "2:FAILED::b"),
                                List.of(2L),
                                Set.of(),
                                Set.of(1L),
                                true,
                                Set.of()),
                        new Case(
                                "an operator's load retries a failed version with the same files",
                                ALL,
                                VersionOverrides.NONE,
                                NO_ROUTING,
                                Set.of(2L),
                                null,
                                List.of("1:a", "2:b"),
                                List.of("1:READY:a:", "2:FAILED::b"),
                                List.of(2L),
                                Set.of(),
                                Set.of(),
                                true,
                                Set.of()),
                        new Case(
                                "a folder still changing never loads; the serving version stays",
                                LATEST,
                                VersionOverrides.NONE,
                                NO_ROUTING,
                                Set.of(),
                                null,
                                List.of("1:a", "2:b~"),
                                List.of("1:READY:a:"),
                                List.of(),
                                Set.of(),
                                Set.of(),
                                true,
                                Set.of()),
                        new Case(
                                "a serving version whose files changed loads again",
                                LATEST,
                                VersionOverrides.NONE,
                                NO_ROUTING,
                                Set.of(),
                                null,
                                List.of("1:a2"),
                                List.of("1:READY:a:"),
                                List.of(1L),
                                Set.of(),
                                Set.of(),
                                true,
                                Set.of()),
                        new Case(
                                "a serving version whose reload failed with these files keeps serving, not retried",
                                LATEST,
                                VersionOverrides.NONE,
                                NO_ROUTING,
                                Set.of(),
                                null,
                                List.of("1:a2"),
                                List.of("1:READY:a:a2"),
                                List.of(),
                                Set.of(),
                                Set.of(),
                                true,
                                Set.of()),
                        new Case(
                                "a version whose folder is gone retires",
                                ALL,
                                VersionOverrides.NONE,
                                NO_ROUTING,
                                Set.of(),
                                null,
                                List.of("2:b"),
                                List.of("1:READY:a:", "2:READY:b:"),
                                List.of(),
                                Set.of(),
                                Set.of(1L),
                                true,
                                Set.of()),
                        new Case(
                                "unusable model files: nothing loads, the selected versions fail, routing stays",
                                ALL,
                                VersionOverrides.NONE,
                                NO_ROUTING,
                                Set.of(),
                                "model.yaml: unknown keys [descripton]",
                                List.of("1:a", "2:b"),
                                List.of("1:READY:x:"),
                                List.of(),
                                Set.of(1L, 2L),
                                Set.of(),
                                false,
                                Set.of()),
                        new Case(
                                "unusable model files already recorded against these files: nothing more to mark",
                                ALL,
                                VersionOverrides.NONE,
                                NO_ROUTING,
                                Set.of(),
                                "model.yaml: unknown keys [descripton]",
                                List.of("1:a"),
                                List.of("1:FAILED::a"),
                                List.of(),
                                Set.of(),
                                Set.of(),
                                false,
                                Set.of()),
                        new Case(
                                "an operator's unload of the newest under latest rolls back to the one before",
                                LATEST,
                                VersionOverrides.NONE.unload(2),
                                NO_ROUTING,
                                Set.of(),
                                null,
                                List.of("1:a", "2:b"),
                                List.of("2:READY:b:"),
                                List.of(1L),
                                Set.of(),
                                Set.of(2L),
                                true,
                                Set.of()),
                        new Case(
                                "routing to a version that is not READY is reported",
                                ALL,
                                VersionOverrides.NONE,
                                new Routing(null, Map.of(1L, 90, 3L, 10), null, Map.of("canary", 3L), null),
                                Set.of(),
                                null,
                                List.of("1:a"),
                                List.of("1:READY:a:"),
                                List.of(),
                                Set.of(),
                                Set.of(),
                                true,
                                Set.of(3L)))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void plans(Case row) {
        Plan plan = ReconciliationPlan.plan(
                new Desired(
                        row.policy(),
                        row.overrides(),
                        row.routing(),
                        row.retry(),
                        Optional.ofNullable(row.settingsProblem())),
                actual(row.disk(), row.registered()));

        assertThat(plan.load()).as("load").isEqualTo(row.load());
        assertThat(plan.fail()).as("fail").isEqualTo(row.fail());
        assertThat(plan.retire()).as("retire").isEqualTo(row.retire());
        assertThat(plan.publish()).as("publish").isEqualTo(row.publish());
        assertThat(plan.routedButNotReady()).as("routed but not READY").isEqualTo(row.routedButNotReady());
    }

    private static Actual actual(List<String> disk, List<String> registered) {
        Map<Long, String> onDisk = new LinkedHashMap<>();
        Set<Long> settled = new java.util.HashSet<>();
        for (String folder : disk) {
            String[] parts = folder.split(":");
            long version = Long.parseLong(parts[0]);
            boolean changing = parts[1].endsWith("~");
            onDisk.put(version, changing ? parts[1].substring(0, parts[1].length() - 1) : parts[1]);
            if (!changing) {
                settled.add(version);
            }
        }
        Map<Long, VersionRecord> records = registered.stream()
                .map(line -> Arrays.copyOf(line.split(":", -1), 4))
                .map(parts -> new VersionRecord(
                        Long.parseLong(parts[0]), ModelState.valueOf(parts[1]), parts[2], parts[3], Optional.empty()))
                .collect(Collectors.toMap(VersionRecord::version, record -> record));
        return new Actual(onDisk, settled, records);
    }
}
