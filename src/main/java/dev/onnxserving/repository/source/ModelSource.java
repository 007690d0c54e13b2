package dev.onnxserving.repository.source;

import java.nio.file.Path;

/**
 * One model's location at a remote source (an S3 prefix, an OCI repository): what it holds and how to fetch it.
 *
 * <p>Implementations are thread-safe, hold no credentials in their {@link #location()}, put connect and read
 * timeouts on every call, and raise {@link SourceException} (never another runtime exception) for anything the source
 * or the network does. They never retry: the caller decides when to try again.
 */
public interface ModelSource {

    /** Where the model is, for logs and {@code /models}: {@code s3://bucket/prefix/iris}, never a secret. */
    String location();

    /**
     * What the location holds now: the model's own files and the numbers of its versions. Cheap enough to call on
     * every sync (no per-version requests); pages through listings of any length.
     */
    SourceListing list();

    /** The files of one listed version, with the digest that identifies its content. */
    SourceVersion version(long number);

    /**
     * Streams one file to {@code target} (created, or replaced when it exists) without holding it in memory,
     * verifying it against the digest the source has for it; a mismatch or a short read is {@link
     * SourceException.Reason#CORRUPT}. On failure the target may hold partial bytes: the caller discards it.
     */
    void fetch(SourceFile file, Path target);
}
