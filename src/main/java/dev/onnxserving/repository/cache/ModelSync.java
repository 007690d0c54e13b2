package dev.onnxserving.repository.cache;

import dev.onnxserving.pipeline.ServingException;
import dev.onnxserving.repository.ModelSettings;
import dev.onnxserving.repository.source.ModelSource;
import dev.onnxserving.repository.source.SourceException;
import dev.onnxserving.repository.source.SourceException.Reason;
import dev.onnxserving.repository.source.SourceListing;
import dev.onnxserving.repository.source.SourceVersion;
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
     * @throws SourceException when the source fails or sends something unusable
     */
    public SyncReport sync(String name, ModelSource source, VersionSelector selector, LongConsumer bytes) {
        SourceListing listing = source.list();
        long total = cache.updateModelFiles(name, source, listing.modelFiles(), lock);
        bytes.accept(total);
        SortedSet<Long> selected = selector.select(defaults(name), listing.versions());
        Set<Long> fetched = new TreeSet<>();
        for (long number : selected) {
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
                continue;
            }
            long downloaded = cache.download(name, source, version, lock);
            bytes.accept(downloaded);
            total += downloaded;
            fetched.add(number);
            log.info(
                    "Model '{}': version {} ({}) is fetched from {}: {} bytes",
                    name,
                    number,
                    version.digest(),
                    source.location(),
                    downloaded);
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
        return new SyncReport(listing.versions(), selected, fetched, removed, total, cache.manifests(name));
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
