package dev.onnxserving.registry;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Where a model synced from a source comes from, for the listings: never a credential.
 *
 * @param location the source location, e.g. {@code s3://bucket/models/iris}
 * @param lastSync when a sync of it last succeeded, if one has
 * @param failure why the last sync failed, when it did (the cache keeps serving what it holds)
 * @param versions each cached version's origin, by number
 */
public record ModelOrigin(
        String location, Optional<Instant> lastSync, Optional<String> failure, Map<Long, CachedVersion> versions) {

    public ModelOrigin {
        versions = Map.copyOf(versions);
    }

    /**
     * @param location where the version was fetched from
     * @param digest its digest there ({@code sha256:...})
     */
    public record CachedVersion(String location, String digest) {}
}
