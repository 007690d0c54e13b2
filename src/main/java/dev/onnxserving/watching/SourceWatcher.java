package dev.onnxserving.watching;

import dev.onnxserving.deployment.ModelManager;
import dev.onnxserving.deployment.ServingProperties;
import dev.onnxserving.pipeline.InvalidInputException;
import dev.onnxserving.registry.ModelOrigin;
import dev.onnxserving.registry.ModelRegistry;
import dev.onnxserving.repository.SourcedModels;
import dev.onnxserving.repository.cache.CacheManifest;
import dev.onnxserving.repository.cache.ModelCache;
import dev.onnxserving.repository.cache.ModelSync;
import dev.onnxserving.repository.cache.SyncReport;
import dev.onnxserving.repository.cache.VersionSelector;
import dev.onnxserving.repository.source.SourceException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the cache in line with the sources: which models come from where (each model's {@code source}, then the
 * models below {@code serving.repository.source}), one {@link ModelSync} per model when it is due, and the lifecycle
 * told about what arrived. A model syncs again after the sync interval; after a failure after a backoff that grows
 * with failures in a row, jittered. A changed configuration file is synced before it is applied, so a newly selected
 * version is in the cache when the lifecycle switches to it. One sync at a time.
 */
final class SourceWatcher implements ConfigurationListener {

    private static final Logger log = LoggerFactory.getLogger(SourceWatcher.class);

    /** When a model is due again, and after how many failures in a row. */
    private record Schedule(Instant next, int failures) {}

    private final ModelManager manager;
    private final ModelRegistry registry;
    private final SourcedModels sourced;
    private final ModelCache cache;
    private final ModelSync sync;
    private final SourceLocations locations;
    private final SourceAssignment assignment;
    private final Duration interval;
    private final Backoff backoff;
    private final SourceMetrics metrics;
    private final Clock clock;
    private final RandomGenerator random;
    private final ReentrantLock syncing = new ReentrantLock();
    private final Map<String, Schedule> schedules = new ConcurrentHashMap<>();
    private final Map<String, Instant> lastSuccess = new ConcurrentHashMap<>();
    private final Map<String, SortedSet<Long>> lastListed = new ConcurrentHashMap<>();
    private final Map<String, String> lastFailure = new ConcurrentHashMap<>();
    /** The configuration file held last, and its models whose selection was missing: only those are synced again. */
    private volatile Map<String, ServingProperties.Model> heldSections;

    private volatile Set<String> heldModels = Set.of();
    private final SyncLoop loop = new SyncLoop(this::runDue);

    SourceWatcher(
            ModelManager manager,
            ModelRegistry registry,
            SourcedModels sourced,
            ModelCache cache,
            SourceLocations locations,
            String repositorySource,
            Duration interval,
            Backoff backoff,
            SourceMetrics metrics,
            Clock clock,
            RandomGenerator random) {
        this.manager = manager;
        this.registry = registry;
        this.sourced = sourced;
        this.cache = cache;
        this.sync = new ModelSync(cache, manager::exclusive);
        this.locations = locations;
        this.assignment = new SourceAssignment(manager, locations, repositorySource, cache);
        this.interval = interval;
        this.backoff = backoff;
        this.metrics = metrics;
        this.clock = clock;
        this.random = random;
    }

    /**
     * Start-up, before the models load: removes what interrupted downloads left, checks every configured location,
     * and syncs each sourced model once (no retries: a source that is down costs its timeouts, then the cache serves
     * what it holds and the loop retries).
     *
     * @throws IllegalStateException naming the setting whose scheme no source serves
     */
    void initialSync() {
        checkConfiguredLocations();
        cache.removeStalePartials();
        Map<String, String> models = resolve(null);
        if (!models.isEmpty()) {
            log.info("Syncing models {} from their sources into the cache {}", models.keySet(), cache.root());
        }
        models.forEach((name, location) -> attempt(name, location, null, false));
    }

    /**
     * Checks every location configuration names now.
     *
     * @throws IllegalStateException naming the setting whose scheme no source serves
     */
    void checkConfiguredLocations() {
        try {
            assignment.check(null);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Starts the loop that syncs each model when it is due. */
    void start() {
        loop.start(nextDue());
    }

    void close() {
        loop.close();
    }

    /**
     * A new configuration file is about to apply: its locations are checked and what it selects is fetched first, from
     * every source at once. A file held before (it selected versions not fetched) is tried again by syncing only the
     * models it was held for, as their backoff allows.
     *
     * @throws SelectionNotFetchedException when it selects, for a serving model, versions the cache still lacks
     */
    @Override
    public void beforeApply(Map<String, ServingProperties.Model> sections) {
        try {
            assignment.check(sections);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(e.getMessage());
        }
        boolean retry = sections.equals(heldSections);
        Map<String, String> held = new TreeMap<>();
        resolve(sections).forEach((name, location) -> {
            if (!retry || (heldModels.contains(name) && !backingOff(name))) {
                attempt(name, location, sections, false);
            }
            unfetched(name, location, sections).ifPresent(why -> held.put(name, why));
        });
        heldSections = held.isEmpty() ? null : sections;
        heldModels = Set.copyOf(held.keySet());
        if (!held.isEmpty()) {
            throw new SelectionNotFetchedException(String.join("; ", held.values()));
        }
    }

    private boolean backingOff(String name) {
        Schedule schedule = schedules.get(name);
        return schedule != null && schedule.failures() > 0 && schedule.next().isAfter(clock.instant());
    }

    /**
     * Why the sections cannot apply to a serving model yet: they select versions the cache does not hold, and
     * applying them would retire the versions serving for ones that are not there.
     */
    private Optional<String> unfetched(String name, String location, Map<String, ServingProperties.Model> sections) {
        if (registry.readyVersions(name).isEmpty()) {
            return Optional.empty();
        }
        Set<Long> cached = cache.versions(name);
        SortedSet<Long> known = new TreeSet<>(cached);
        known.addAll(lastListed.getOrDefault(name, new TreeSet<>()));
        SortedSet<Long> missing = new TreeSet<>(sync.select(name, selector(name, sections), known));
        missing.removeAll(cached);
        if (missing.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("model '" + name + "': version(s) " + missing + " not in the cache yet ("
                + lastFailure.getOrDefault(name, "not fetched from " + location) + ")");
    }

    private VersionSelector selector(String name, Map<String, ServingProperties.Model> sections) {
        return (defaults, listed) -> manager.selectListed(name, defaults, listed, sections);
    }

    /** The configuration file is applied: models that came or went, or changed source, are synced at once. */
    @Override
    public void afterApply() {
        schedules.clear();
        loop.wake();
    }

    /** One round: every model that is due is synced; returns when the next one is due. */
    private Duration runDue() {
        Map<String, String> models = resolve(null);
        Instant now = clock.instant();
        for (Map.Entry<String, String> model : models.entrySet()) {
            Schedule schedule = schedules.get(model.getKey());
            if (schedule == null || !schedule.next().isAfter(now)) {
                attempt(model.getKey(), model.getValue(), null, true);
            }
        }
        return nextDue();
    }

    private Duration nextDue() {
        Instant now = clock.instant();
        return schedules.values().stream()
                .map(schedule -> Duration.between(now, schedule.next()))
                .min(Duration::compareTo)
                .map(wait -> wait.isNegative() ? Duration.ZERO : wait)
                .orElse(interval);
    }

    /**
     * Which model comes from which location, and records that set for the repository. Models that stopped coming
     * from a source lose their origin and are looked at again, now in the local repository.
     */
    private Map<String, String> resolve(Map<String, ServingProperties.Model> sections) {
        Map<String, String> models = assignment.locations(sections);
        if (sections == null) {
            Set<String> before = sourced.names();
            if (sourced.replace(models.keySet())) {
                Set<String> gone = new TreeSet<>(before);
                gone.removeAll(models.keySet());
                gone.forEach(name -> {
                    registry.origin(name, null);
                    schedules.remove(name);
                    manager.synchronize(name);
                });
            }
        }
        return models;
    }

    /** One sync of one model, its outcome recorded; never throws. */
    private void attempt(String name, String location, Map<String, ServingProperties.Model> sections, boolean load) {
        syncing.lock();
        long started = System.nanoTime();
        try {
            SyncReport report = sync.sync(
                    name, locations.model(location), selector(name, sections), bytes -> metrics.bytes(name, bytes));
            lastListed.put(name, new TreeSet<>(report.listed()));
            logFetched(name, location, report);
            if (report.failure().isPresent()) {
                SourceException failure = report.failure().get();
                failed(name, location, failure.reason().tag(), failure.getMessage(), started);
            } else {
                succeeded(name, location, started);
            }
        } catch (SourceException e) {
            failed(name, location, e.reason().tag(), e.getMessage(), started);
        } catch (RuntimeException e) {
            failed(name, location, "cache", e.getClass().getSimpleName() + ": " + e.getMessage(), started);
        } finally {
            syncing.unlock();
        }
        if (load) {
            try {
                manager.synchronize(name);
            } catch (RuntimeException e) {
                log.error("Model '{}': loading what its source sync cached failed", name, e);
            }
        }
    }

    private void succeeded(String name, String location, long started) {
        Instant now = clock.instant();
        lastFailure.remove(name);
        schedules.put(name, new Schedule(now.plus(interval), 0));
        lastSuccess.put(name, now);
        metrics.succeeded(name, Duration.ofNanos(System.nanoTime() - started), now);
        registry.origin(name, origin(name, location, null));
    }

    private static void logFetched(String name, String location, SyncReport report) {
        if (!report.fetched().isEmpty() || !report.removed().isEmpty()) {
            log.info(
                    "Model '{}' synced from {}: versions {} listed, {} selected, {} fetched ({} bytes), {} removed",
                    name,
                    location,
                    report.listed().size(),
                    report.selected(),
                    report.fetched(),
                    report.bytes(),
                    report.removed());
        }
    }

    private void failed(String name, String location, String reason, String message, long started) {
        Schedule before = schedules.get(name);
        int failures = before == null ? 1 : before.failures() + 1;
        Duration wait = backoff.delay(failures, random);
        schedules.put(name, new Schedule(clock.instant().plus(wait), failures));
        metrics.failed(name, reason, Duration.ofNanos(System.nanoTime() - started));
        String failure = reason + ": " + message;
        lastFailure.put(name, failure);
        registry.origin(name, origin(name, location, failure));
        Set<Long> cached = cache.versions(name);
        log.warn(
                "Model '{}': syncing from {} failed ({} in a row), {}; {}; next try in {} ms",
                name,
                location,
                failures,
                failure,
                cached.isEmpty()
                        ? "the cache holds no version of it"
                        : "serving from the cache, which holds versions " + cached,
                wait.toMillis());
    }

    private ModelOrigin origin(String name, String location, String failure) {
        Map<Long, ModelOrigin.CachedVersion> versions = new TreeMap<>();
        for (Map.Entry<Long, CacheManifest> cached : cache.manifests(name).entrySet()) {
            versions.put(
                    cached.getKey(),
                    new ModelOrigin.CachedVersion(
                            cached.getValue().location(), cached.getValue().digest()));
        }
        return new ModelOrigin(
                location, Optional.ofNullable(lastSuccess.get(name)), Optional.ofNullable(failure), versions);
    }
}
