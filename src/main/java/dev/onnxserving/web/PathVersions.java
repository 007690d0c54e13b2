package dev.onnxserving.web;

import dev.onnxserving.pipeline.ModelNotFoundException;
import dev.onnxserving.repository.VersionNumbers;

/** Version path segments: positive integers without leading zeros; anything else names no version (404). */
final class PathVersions {

    private PathVersions() {}

    static long parse(String model, String version) {
        if (!VersionNumbers.isValid(version)) {
            throw new ModelNotFoundException("model '" + model + "' has no version '" + version
                    + "'; versions are positive integers without leading zeros");
        }
        return Long.parseLong(version);
    }
}
