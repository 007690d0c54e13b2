package dev.onnxserving.watching;

import static dev.onnxserving.testing.FakeSessions.IRIS_LIKE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.onnxserving.deployment.ManagerFixture;
import dev.onnxserving.registry.ModelState;
import dev.onnxserving.repository.ModelRepository;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepositoryWatcherTests {

    private static final Duration DEADLINE = Duration.ofSeconds(15);

    @TempDir
    Path root;

    private RepositoryWatcher watcher;

    @AfterEach
    void stop() {
        if (watcher != null) {
            watcher.close();
        }
    }

    private ManagerFixture start(Duration interval, Duration settle, boolean fileEvents) {
        ManagerFixture fixture = ManagerFixture.withSystemClock(root, settle);
        fixture.publish("iris", 1, IRIS_LIKE);
        fixture.manager.synchronizeAll();
        watcher = new RepositoryWatcher(new ModelRepository(root), fixture.manager, interval, settle, fileEvents);
        watcher.start();
        return fixture;
    }

    @Test
    void loadsAPublishedVersionAndRetiresTheOneBefore() {
        ManagerFixture fixture = start(Duration.ofSeconds(1), Duration.ofMillis(200), true);

        fixture.publish("iris", 2, IRIS_LIKE);

        await().atMost(DEADLINE).until(() -> fixture.states("iris").equals(Map.of(2L, ModelState.READY)));
        await().atMost(DEADLINE).until(() -> fixture.sessions.closed.get() == 1);
    }

    @Test
    void findsChangesByPollingWhereThereAreNoFileEvents() {
        ManagerFixture fixture = start(Duration.ofMillis(100), Duration.ofMillis(100), false);

        fixture.publish("iris", 2, IRIS_LIKE);

        await().atMost(DEADLINE).until(() -> fixture.states("iris").equals(Map.of(2L, ModelState.READY)));
    }

    @Test
    void neverLoadsAFileWhileItIsStillBeingCopied() {
        ManagerFixture fixture = start(Duration.ofMillis(100), Duration.ofMillis(1500), true);

        fixture.writeInPlace("iris", 2, "input input FP32");
        await().during(Duration.ofMillis(500))
                .atMost(DEADLINE)
                .until(() -> fixture.states("iris").equals(Map.of(1L, ModelState.READY)));
        fixture.writeInPlace("iris", 2, IRIS_LIKE);

        await().atMost(DEADLINE).until(() -> fixture.states("iris").equals(Map.of(2L, ModelState.READY)));
        assertThat(fixture.events.failures).isEmpty();
    }

    @Test
    void unloadsAVersionWhoseFolderIsRemoved() {
        ManagerFixture fixture = start(Duration.ofMillis(200), Duration.ofMillis(100), true);
        fixture.publish("iris", 2, IRIS_LIKE);
        await().atMost(DEADLINE).until(() -> fixture.states("iris").equals(Map.of(2L, ModelState.READY)));

        fixture.remove("iris", 2);

        await().atMost(DEADLINE).until(() -> fixture.states("iris").equals(Map.of(1L, ModelState.READY)));
    }

    @Test
    void reloadsTheModelWhenModelYamlChanges() {
        ManagerFixture fixture = start(Duration.ofMillis(200), Duration.ofMillis(100), true);

        fixture.settings("iris", "description: edited while serving\n");

        await().atMost(DEADLINE)
                .until(() -> fixture.status("iris").description().equals("edited while serving"));
        assertThat(fixture.states("iris")).isEqualTo(Map.of(1L, ModelState.READY));
        await().atMost(DEADLINE).until(() -> fixture.sessions.closed.get() == 1);
    }

    @Test
    void picksUpAModelFolderThatAppears() {
        ManagerFixture fixture = start(Duration.ofMillis(200), Duration.ofMillis(100), true);

        fixture.publish("digits", 1, IRIS_LIKE);

        await().atMost(DEADLINE)
                .until(() ->
                        fixture.registry.status("digits").map(s -> s.isReady()).orElse(false));
    }
}
