package dev.onnxserving.registry;

import java.time.Instant;
import java.util.Optional;

/**
 * A version as the registry records it.
 *
 * @param loadedFingerprint the fingerprint of the files the serving instance was loaded from, empty when none
 * @param failedFingerprint the fingerprint of the files the last failed attempt used, empty when none
 */
record VersionSlot(
        long version,
        ModelState state,
        String reason,
        Instant since,
        LoadedVersion loaded,
        String loadedFingerprint,
        String failedFingerprint) {
    boolean isReady() {
        return state == ModelState.READY;
    }

    VersionRecord record() {
        return new VersionRecord(
                version,
                state,
                loadedFingerprint,
                failedFingerprint,
                Optional.ofNullable(loaded).map(instance -> instance.session().signature()));
    }
}
