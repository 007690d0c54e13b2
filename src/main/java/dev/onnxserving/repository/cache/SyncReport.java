package dev.onnxserving.repository.cache;

import java.util.Map;
import java.util.Set;

/**
 * What one sync of a model did.
 *
 * @param listed the version numbers the source lists
 * @param selected those the deployment selects, each now cached
 * @param fetched the versions fetched by this sync (new, or changed at the source)
 * @param removed the cached versions removed because the source no longer lists them
 * @param bytes the bytes fetched
 * @param cached each cached version's manifest after the sync, by number
 */
public record SyncReport(
        Set<Long> listed,
        Set<Long> selected,
        Set<Long> fetched,
        Set<Long> removed,
        long bytes,
        Map<Long, CacheManifest> cached) {

    public SyncReport {
        listed = Set.copyOf(listed);
        selected = Set.copyOf(selected);
        fetched = Set.copyOf(fetched);
        removed = Set.copyOf(removed);
        cached = Map.copyOf(cached);
    }
}
