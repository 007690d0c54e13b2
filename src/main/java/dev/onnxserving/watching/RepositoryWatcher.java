package dev.onnxserving.watching;

import dev.onnxserving.deployment.ModelManager;
import dev.onnxserving.repository.Fingerprints;
import dev.onnxserving.repository.ModelRepository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the model repository while the service runs: a model folder whose contents changed (a version added,
 * replaced or removed, {@code model.yaml} edited) is handed to {@link ModelManager#synchronize}, which loads only
 * folders that have settled. While something is still settling, it looks again soon instead of waiting a whole
 * interval.
 */
final class RepositoryWatcher extends Poller {

    private static final Logger log = LoggerFactory.getLogger(RepositoryWatcher.class);
    private static final Duration SHORTEST_WAIT = Duration.ofMillis(50);

    private final ModelRepository repository;
    private final ModelManager manager;
    private final Duration interval;
    private final Duration settleTime;
    private Map<String, String> last = Map.of();

    RepositoryWatcher(
            ModelRepository repository,
            ModelManager manager,
            Duration interval,
            Duration settleTime,
            boolean fileEvents) {
        super("model-repository-watcher", fileEvents);
        this.repository = repository;
        this.manager = manager;
        this.interval = interval;
        this.settleTime = settleTime;
    }

    /** Starts watching from what is on disk now (already loaded at start-up). */
    @Override
    synchronized void start() {
        last = fingerprints();
        log.info(
                "Watching the model repository {} (every {} ms, a folder loads after {} ms unchanged)",
                repository.root(),
                interval.toMillis(),
                settleTime.toMillis());
        super.start();
    }

    @Override
    protected void poll() {
        Map<String, String> current = fingerprints();
        Set<String> changed = new TreeSet<>(manager.pending());
        current.forEach((name, fingerprint) -> {
            if (!fingerprint.equals(last.get(name))) {
                changed.add(name);
            }
        });
        last.keySet().stream().filter(name -> !current.containsKey(name)).forEach(changed::add);
        for (String name : changed) {
            try {
                manager.synchronize(name);
            } catch (RuntimeException e) {
                log.error("Synchronising model '{}' after a change on disk failed; retrying at the next look", name, e);
            }
        }
        last = current;
    }

    @Override
    protected Duration nextWait() {
        if (manager.pending().isEmpty()) {
            return interval;
        }
        Duration soon = settleTime.dividedBy(2);
        if (soon.compareTo(SHORTEST_WAIT) < 0) {
            soon = SHORTEST_WAIT;
        }
        return soon.compareTo(interval) < 0 ? soon : interval;
    }

    @Override
    protected Collection<Path> directories() {
        List<Path> directories = new ArrayList<>();
        directories.add(repository.root());
        for (Path model : modelDirectories()) {
            directories.add(model);
            directories.addAll(children(model));
        }
        return directories;
    }

    private Map<String, String> fingerprints() {
        Map<String, String> result = new TreeMap<>();
        for (Path model : modelDirectories()) {
            result.put(model.getFileName().toString(), Fingerprints.ofTree(model));
        }
        return result;
    }

    private List<Path> modelDirectories() {
        return children(repository.root()).stream()
                .filter(path -> repository
                        .safeModelDirectory(path.getFileName().toString())
                        .isPresent())
                .toList();
    }

    private static List<Path> children(Path directory) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.filter(Files::isDirectory).sorted().toList();
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
