package dev.onnxserving.watching;

import static dev.onnxserving.testing.Http.IRIS_BODY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.onnxserving.registry.ModelRegistry;
import dev.onnxserving.registry.ModelState;
import dev.onnxserving.registry.ModelStatus;
import dev.onnxserving.testing.Http;
import dev.onnxserving.testing.ServingEndToEndTest;
import dev.onnxserving.testing.TestRepository;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Sustained concurrent traffic on loopback while versions are added, switched by the configuration file, weighted,
 * labelled and removed, and while a contradictory configuration file is refused: no request fails, every answer's {@code Model-Version} is one the routing in force allowed
 * while the request ran, sticky callers keep their version, and every retired version closes.
 */
@ServingEndToEndTest
class ZeroDowntimeTrafficTests {

    private static final String KEY = "traffic-key-0123456789";
    private static final String[] AUTH = {"Authorization", "Bearer " + KEY};
    private static final String MODEL = "traffic";
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final int ROUTED_WORKERS = 4;
    private static final int ANSWERS_PER_PHASE = 100;
    private static final TestRepository REPOSITORY =
            TestRepository.create("zero-downtime").copy("iris", MODEL, 1, 2);
    private static final Path CONFIG =
            REPOSITORY.root().resolveSibling(REPOSITORY.root().getFileName() + "-serving.yaml");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        writeConfig("models:\n  traffic:\n    versions: all\n    default-version: 1\n");
        registry.add("serving.repository.path", () -> REPOSITORY.root().toString());
        registry.add("serving.default-model", () -> MODEL);
        registry.add("serving.models.iris.versions", () -> "latest");
        registry.add("serving.models.iris.default-version", () -> "");
        registry.add("serving.config-file", CONFIG::toString);
        registry.add("serving.repository.poll-interval", () -> "100ms");
        registry.add("serving.repository.settle-time", () -> "200ms");
        registry.add("serving.management.api-key", () -> KEY);
    }

    @LocalServerPort
    int port;

    @Autowired
    ModelRegistry registry;

    @Autowired
    MeterRegistry meters;

    /**
     * The routing in force from some moment on. A request is judged against every phase that may have been in force
     * while it ran: from the moment its change was started until the next phase's change was seen applied.
     */
    private static final class Phase {
        final String name;
        final Set<String> routed;
        final Set<String> stable;
        final long started;
        volatile long applied;
        volatile long replaced = Long.MAX_VALUE;
        volatile long superseded = Long.MAX_VALUE;

        Phase(String name, Set<String> routed, Set<String> stable, long started) {
            this.name = name;
            this.routed = routed;
            this.stable = stable;
            this.started = started;
        }

        boolean mayHaveServed(Answer answer) {
            return started <= answer.end && superseded >= answer.start;
        }

        boolean wholeRequestWithin(Answer answer) {
            return answer.start >= applied && answer.end <= replaced;
        }
    }

    private record Answer(String kind, String user, long start, long end, int status, String version, String body) {}

    private final List<Phase> phases = new ArrayList<>();
    private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
    private final AtomicInteger count = new AtomicInteger();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicBoolean labelTraffic = new AtomicBoolean(false);

    @Test
    void servesEveryRequestWhileVersionsChange() throws Exception {
        Http http = new Http(port);
        change("initial: version 1 by configuration", Set.of("1"), Set.of(), () -> {}, () -> servedDefault("1"));
        ExecutorService workers = Executors.newFixedThreadPool(ROUTED_WORKERS + 1);
        List<Future<?>> running = new ArrayList<>();
        try {
            for (int worker = 0; worker < ROUTED_WORKERS; worker++) {
                int id = worker;
                running.add(workers.submit(() -> routedTraffic(http, id)));
            }
            steady();

            change(
                    "version 3 published, still default 1",
                    Set.of("1"),
                    Set.of(),
                    () -> REPOSITORY.publish(MODEL, 3, Path.of("models", "iris", "2", "model.onnx")),
                    () -> state("3") == ModelState.READY);
            steady();

            change(
                    "configuration file switches the default to 3",
                    Set.of("3"),
                    Set.of(),
                    () -> writeConfig("models:\n  traffic:\n    versions: all\n    default-version: 3\n"),
                    () -> servedDefault("3"));
            steady();

            change(
                    "configuration file refused: default version 1, which versions 3 never serves; routing stays",
                    Set.of("3"),
                    Set.of(),
                    () -> writeConfig("models:\n  traffic:\n    versions: 3\n    default-version: 1\n"),
                    () -> meters.counter("serving.config.reloads", "outcome", "refused")
                                    .count()
                            == 1);
            assertThat(registry.status(MODEL).orElseThrow().refusedConfiguration())
                    .hasValueSatisfying(reason -> assertThat(reason)
                            .contains("models.traffic.default-version (serving.config-file): 1")
                            .contains("models.traffic.versions (serving.config-file): 3"));
            assertThat(versions()).containsExactlyInAnyOrder("1", "2", "3");
            steady();

            change(
                    "API: 90/10 between 2 and 3, sticky by X-User-Id, stable label on 2",
                    Set.of("2", "3"),
                    Set.of("2"),
                    () -> assertThat(http.put(
                                            "/admin/models/" + MODEL + "/routing",
                                            "{\"default\": \"3\", \"weights\": {\"2\": 90, \"3\": 10},"
                                                    + " \"sticky-header\": \"X-User-Id\","
                                                    + " \"labels\": {\"stable\": \"2\", \"canary\": \"3\"}}",
                                            AUTH)
                                    .status())
                            .isEqualTo(200),
                    () -> registry.routing(MODEL).orElseThrow().isSplit());
            labelTraffic.set(true);
            running.add(workers.submit(() -> labelledTraffic(http)));
            steady();

            change(
                    "API: everything on 3",
                    Set.of("3"),
                    Set.of("3"),
                    () -> assertThat(http.put(
                                            "/admin/models/" + MODEL + "/routing",
                                            "{\"default\": \"3\", \"labels\": {\"stable\": \"3\"}}",
                                            AUTH)
                                    .status())
                            .isEqualTo(200),
                    () -> !registry.routing(MODEL).orElseThrow().isSplit());
            steady();

            change(
                    "version folders 1 and 2 removed",
                    Set.of("3"),
                    Set.of("3"),
                    () -> {
                        REPOSITORY.remove(MODEL, 1);
                        REPOSITORY.remove(MODEL, 2);
                    },
                    () -> versions().equals(Set.of("3")));
            steady();

            change(
                    "version 4 published, still default 3",
                    Set.of("3"),
                    Set.of("3"),
                    () -> REPOSITORY.publish(MODEL, 4, Path.of("models", "iris", "1", "model.onnx")),
                    () -> state("4") == ModelState.READY);
            steady();
            labelTraffic.set(false);

            change(
                    "configuration file: latest only",
                    Set.of("4"),
                    Set.of(),
                    () -> writeConfig("models:\n  traffic:\n    versions: latest\n"),
                    () -> versions().equals(Set.of("4")) && servedDefault("4"));
            steady();
        } finally {
            this.running.set(false);
            workers.shutdown();
            assertThat(workers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
        for (Future<?> worker : running) {
            worker.get();
        }

        List<Answer> all = List.copyOf(answers);
        System.out.println("answers: " + all.size() + " in " + phases.size() + " phases");
        assertThat(all).hasSizeGreaterThan(ANSWERS_PER_PHASE * phases.size());
        assertThat(all.stream().filter(answer -> answer.status != 200).toList())
                .as("failed requests")
                .isEmpty();
        List<String> inconsistent = new ArrayList<>();
        for (Answer answer : all) {
            boolean allowed = phases.stream()
                    .filter(phase -> phase.mayHaveServed(answer))
                    .anyMatch(phase ->
                            (answer.kind.equals("stable") ? phase.stable : phase.routed).contains(answer.version));
            if (!allowed || !answer.body.contains("\"version\":\"" + answer.version + "\"")) {
                inconsistent.add(answer.kind + " " + answer.version + " at " + answer.start);
            }
        }
        assertThat(inconsistent)
                .as("answers from versions the routing did not allow")
                .isEmpty();
        assertStickyCallersKeptTheirVersion(all);
        assertSplitFollowedTheWeights(all);

        await().atMost(DEADLINE).until(() -> registry.drainingVersions() == 0);
        assertThat(registry.openVersions()).isEqualTo(1);
        assertThat(meters.get("serving.model.drain.duration")
                        .tag("model", MODEL)
                        .timer()
                        .count())
                .as("retired versions closed: 1 and 2 removed, 3 dropped by latest")
                .isEqualTo(3);
    }

    private void routedTraffic(Http http, int worker) {
        int request = 0;
        while (running.get() && count.get() < 200_000) {
            String user = request % 2 == 0 ? "user-" + worker + "-" + (request / 2 % 25) : null;
            long start = System.nanoTime();
            Http.Response response = user == null
                    ? http.post("/models/" + MODEL + "/predict", IRIS_BODY)
                    : http.post("/models/" + MODEL + "/predict", IRIS_BODY, "X-User-Id", user);
            record(user == null ? "routed" : "sticky", user, start, response);
            request++;
        }
    }

    private void labelledTraffic(Http http) {
        while (running.get() && labelTraffic.get() && count.get() < 200_000) {
            long start = System.nanoTime();
            record("stable", null, start, http.post("/models/" + MODEL + "/labels/stable/predict", IRIS_BODY));
        }
    }

    private void record(String kind, String user, long start, Http.Response response) {
        answers.add(new Answer(
                kind,
                user,
                start,
                System.nanoTime(),
                response.status(),
                response.headers().firstValue("Model-Version").orElse("none"),
                response.text()));
        count.incrementAndGet();
    }

    private void change(String name, Set<String> routed, Set<String> stable, Runnable action, BooleanSupplier applied) {
        Phase phase = new Phase(name, routed, stable, System.nanoTime());
        if (!phases.isEmpty()) {
            phases.get(phases.size() - 1).replaced = phase.started;
        }
        action.run();
        await().atMost(DEADLINE).until(applied::getAsBoolean);
        phase.applied = System.nanoTime();
        if (!phases.isEmpty()) {
            phases.get(phases.size() - 1).superseded = phase.applied;
        }
        phases.add(phase);
    }

    private void steady() {
        int mark = count.get();
        await().atMost(DEADLINE).until(() -> count.get() >= mark + ANSWERS_PER_PHASE);
    }

    private void assertStickyCallersKeptTheirVersion(List<Answer> all) {
        Phase split = phases.stream()
                .filter(phase -> phase.routed.size() == 2)
                .findFirst()
                .orElseThrow();
        Map<String, Set<String>> versionsByUser = new HashMap<>();
        all.stream()
                .filter(answer -> answer.kind.equals("sticky") && split.wholeRequestWithin(answer))
                .forEach(answer -> versionsByUser
                        .computeIfAbsent(answer.user, user -> new HashSet<>())
                        .add(answer.version));
        assertThat(versionsByUser).isNotEmpty();
        assertThat(versionsByUser.entrySet().stream()
                        .filter(entry -> entry.getValue().size() > 1)
                        .map(Map.Entry::getKey)
                        .toList())
                .as("sticky callers that switched version")
                .isEmpty();
    }

    private void assertSplitFollowedTheWeights(List<Answer> all) {
        Phase split = phases.stream()
                .filter(phase -> phase.routed.size() == 2)
                .findFirst()
                .orElseThrow();
        Map<String, Long> versions = all.stream()
                .filter(answer -> answer.kind.equals("routed") && split.wholeRequestWithin(answer))
                .collect(Collectors.groupingBy(Answer::version, Collectors.counting()));
        long total = versions.values().stream().mapToLong(Long::longValue).sum();
        assertThat(total).isPositive();
        assertThat(versions.getOrDefault("2", 0L))
                .as("version 2 under 90/10: %s", versions)
                .isGreaterThan(total / 2);
    }

    private boolean servedDefault(String version) {
        return registry.status(MODEL)
                .flatMap(ModelStatus::defaultVersion)
                .map(v -> Long.toString(v).equals(version))
                .orElse(false);
    }

    private ModelState state(String version) {
        return registry.status(MODEL).orElseThrow().versions().stream()
                .filter(v -> Long.toString(v.version()).equals(version))
                .map(ModelStatus.VersionStatus::state)
                .findFirst()
                .orElse(null);
    }

    private Set<String> versions() {
        return registry.status(MODEL).orElseThrow().versions().stream()
                .map(v -> Long.toString(v.version()))
                .collect(Collectors.toSet());
    }

    private static void writeConfig(String yaml) {
        try {
            Path staging = CONFIG.resolveSibling("." + CONFIG.getFileName() + ".tmp");
            Files.writeString(staging, yaml);
            Files.move(staging, CONFIG, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
