package dev.onnxserving.registry;

import dev.onnxserving.pipeline.ModelSignature;
import java.util.Optional;

/**
 * What the registry knows about one version, for the code that decides what to load.
 *
 * @param loadedFingerprint the files the serving instance was loaded from; empty when none serves
 * @param failedFingerprint the files the last failed attempt used; empty when none failed since
 * @param signature the serving instance's signature
 */
public record VersionRecord(
        long version,
        ModelState state,
        String loadedFingerprint,
        String failedFingerprint,
        Optional<ModelSignature> signature) {}
