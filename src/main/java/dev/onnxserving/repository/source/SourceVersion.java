package dev.onnxserving.repository.source;

import java.util.List;

/**
 * One version at its source.
 *
 * @param number the version number
 * @param digest identifies the whole version's content ({@code sha256:...} of an OCI manifest; for S3 a digest over
 *     the files' own digests): equal digests mean equal files, so an unchanged version is never fetched again
 * @param files the version's files, paths relative to the version folder ({@code model.onnx})
 */
public record SourceVersion(long number, String digest, List<SourceFile> files) {

    public SourceVersion {
        files = List.copyOf(files);
    }
}
