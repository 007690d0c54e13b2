package dev.onnxserving.repository.cache;

import dev.onnxserving.pipeline.ServingException;
import dev.onnxserving.repository.ModelSettings;
import dev.onnxserving.repository.source.ModelSource;
import dev.onnxserving.repository.source.SourceException;
import dev.onnxserving.repository.source.SourceException.Reason;
import dev.onnxserving.repository.source.SourceListing;
import dev.onnxserving.repository.source.SourceVersion;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pass over one model: list the source, fetch the model's own files, select versions by the deployment's policy
 * (applied to the listed numbers, so only the selected versions are ever asked for), fetch each selected version the
 * cache does not hold with the same digest, and remove cached versions the source no longer lists. Stops at the first
 * failure, keeping what was completed.
 */
public final class ModelSync {

    private static final Logger log = LoggerFactory.getLogger(ModelSync.class);

    private final ModelCache cache;
    private final ModelLock lock;

    public ModelSync(ModelCache cache, ModelLock lock) {
        this.cache = cache;
        this.lock = lock;
    }

    /**
     * @param bytes told the bytes of each completed fetch, also when a later one fails
     * @throws SourceException when the source cannot be listed, fails for every version alike (unreachable, timed
     *     out, credentials refused) or sends unusable model files; a selected version that alone fails is reported
     *     in {@link SyncReport#failure()} while the others are still fetched
     */
    public SyncReport sync(String name, ModelSource source, VersionSelector selector, LongConsumer bytes) {
        SourceListing listing = source.list();
        long total = cache.updateModelFiles(name, source, listing.modelFiles(), lock);
        bytes.accept(total);
        SortedSet<Long> selected = select(name, selector, listing.versions());
        Set<Long> fetched = new TreeSet<>();
        SourceException firstFailure = null;
        for (long number : selected) {
            try {
                long downloaded = fetchIfChanged(name, source, number);
                if (downloaded >= 0) {
                    bytes.accept(downloaded);
                    total += downloaded;
                    fetched.add(number);
                }
            } catch (SourceException e) {
                if (concernsTheWholeSource(e.reason())) {
                    throw e;
                }
                log.warn(
                        "Model '{}': version {} could not be fetched from {}: {}",
                        name,
                        number,
                        source.location(),
                        e.getMessage());
                firstFailure = firstFailure == null ? e : firstFailure;
            }
        }
        Set<Long> removed = new TreeSet<>();
        for (long number : cache.versions(name)) {
            if (!listing.versions().contains(number)) {
                cache.remove(name, number, lock);
                removed.add(number);
                log.warn(
                        "Model '{}': version {} is no longer at {}; removed from the cache, it retires",
                        name,
                        number,
                        source.location());
            }
        }
        return new SyncReport(
                listing.versions(),
                selected,
                fetched,
                removed,
                total,
                cache.manifests(name),
                Optional.ofNullable(firstFailure));
    }

    /** A failure that every other version would meet too: trying them only delays the back-off. */
    private static boolean concernsTheWholeSource(Reason reason) {
        return reason == Reason.UNREACHABLE || reason == Reason.TIMEOUT || reason == Reason.UNAUTHORIZED;
    }

    /** @return the bytes fetched, or -1 when the cache already holds this version with the same digest */
    private long fetchIfChanged(String name, ModelSource source, long number) {
        SourceVersion version = source.version(number);
        if (version.number() != number) {
            throw new SourceException(
                    Reason.INVALID,
                    source.location() + " answered version " + version.number() + " when asked for " + number);
        }
        boolean unchanged = cache.version(name, number)
                .map(manifest -> manifest.digest().equals(version.digest()))
                .orElse(false);
        if (unchanged) {
            return -1;
        }
        long downloaded = cache.download(name, source, version, lock);
        log.info(
                "Model '{}': version {} ({}) is fetched from {}: {} bytes",
                name,
                number,
                version.digest(),
                source.location(),
                downloaded);
        return downloaded;
    }

    /** What {@code selector} selects of {@code listed}, with the deployment defaults of the cached model.yaml. */
    public SortedSet<Long> select(String name, VersionSelector selector, SortedSet<Long> listed) {
        return selector.select(defaults(name), listed);
    }

    private ModelSettings.DeploymentDefaults defaults(String name) {
        try {
            return ModelSettings.read(cache.root().resolve(name)).deployment();
        } catch (ServingException e) {
            log.debug("Model '{}': its model.yaml is unusable, so its deployment defaults are not applied", name);
            return ModelSettings.DeploymentDefaults.NONE;
        }
    }
}
