package dev.onnxserving.repository.source;

/**
 * One file at a source.
 *
 * @param path where it goes, relative to its model or version folder, {@code /}-separated; the caller refuses paths
 *     that are absolute, contain {@code ..} or start with a dot
 * @param size its length in bytes, or -1 when the source does not say
 * @param digest what its content is checked against, {@code <algorithm>:<value>} ({@code sha256:<hex>}, {@code
 *     etag:<value>}); shown in {@code /models}
 * @param locator how the source finds it again (an object key, a blob digest); opaque to the caller
 */
public record SourceFile(String path, long size, String digest, String locator) {}
