package dev.onnxserving.loading;

import dev.onnxserving.pipeline.ModelSignature;
import dev.onnxserving.pipeline.ServingException;
import dev.onnxserving.registry.LoadFailure;
import dev.onnxserving.registry.LoadRecord;
import dev.onnxserving.registry.LoadedVersion;
import dev.onnxserving.registry.ModelEvents;
import dev.onnxserving.registry.ModelRegistry;
import dev.onnxserving.repository.ModelSettings;
import dev.onnxserving.repository.ModelVersion;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads one version into the registry and records how it went: LOADING, then READY or FAILED with the fingerprint of
 * the files used, a load record in the model's history, and the load events for the metrics. Thread-safe; callers
 * serialise the loads of one model.
 */
public final class VersionLoads {

    private static final Logger log = LoggerFactory.getLogger(VersionLoads.class);

    private final VersionLoader loader;
    private final ModelRegistry registry;
    private final ModelEvents events;
    private final Clock clock;

    public VersionLoads(VersionLoader loader, ModelRegistry registry, ModelEvents events, Clock clock) {
        this.loader = loader;
        this.registry = registry;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Loads {@code version} from files with {@code fingerprint}; a failure never replaces a READY instance.
     *
     * @param contract the serving signature the new instance must be able to replace, when processors depend on it
     * @return whether it became READY
     */
    public boolean load(
            ModelVersion version, String fingerprint, ModelSettings settings, Optional<ModelSignature> contract) {
        String name = version.name();
        Instant start = clock.instant();
        registry.markLoading(name, version.version());
        LoadFailure failure;
        String reason;
        try {
            LoadedVersion loaded = loader.load(version, settings, contract);
            registry.markReady(name, version.version(), loaded, fingerprint);
            Duration took = Duration.between(start, clock.instant());
            registry.recordLoad(name, new LoadRecord(version.version(), clock.instant(), true, took, null, ""));
            events.versionLoadFinished(name, version.version(), true, took);
            return true;
        } catch (VersionLoadException e) {
            failure = e.failure();
            reason = e.getMessage();
        } catch (ServingException e) {
            failure = LoadFailure.SETTINGS;
            reason = e.getMessage();
        } catch (RuntimeException e) {
            log.error("Unexpected failure loading model {}", version, e);
            failure = LoadFailure.UNEXPECTED;
            reason = "unexpected error: " + e.getClass().getSimpleName();
        }
        Duration took = Duration.between(start, clock.instant());
        failed(name, version.version(), fingerprint, failure, reason, took);
        events.versionLoadFinished(name, version.version(), false, took);
        return false;
    }

    /** Records that {@code version} cannot load because the model's own files are unusable. */
    public void failOnSettings(String name, long version, String reason, String fingerprint) {
        failed(name, version, fingerprint, LoadFailure.SETTINGS, reason, Duration.ZERO);
    }

    private void failed(
            String name, long version, String fingerprint, LoadFailure failure, String reason, Duration took) {
        registry.markFailed(name, version, reason, fingerprint);
        registry.recordLoad(name, new LoadRecord(version, clock.instant(), false, took, failure, reason));
        events.versionLoadFailed(name, version, failure);
    }
}
