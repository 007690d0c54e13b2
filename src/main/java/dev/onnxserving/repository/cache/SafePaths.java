package dev.onnxserving.repository.cache;

import dev.onnxserving.repository.source.SourceException;
import dev.onnxserving.repository.source.SourceException.Reason;
import java.nio.file.Path;

/** Turns a path a source sent into a file below a local folder, refusing any that could land elsewhere. */
final class SafePaths {

    private SafePaths() {}

    /**
     * {@code relative} below {@code base}.
     *
     * @throws SourceException {@link Reason#INVALID} for an empty, absolute or backslashed path, one with an empty,
     *     {@code .} or {@code ..} segment, or a segment starting with a dot (reserved for the cache's own files)
     */
    static Path resolve(Path base, String relative, String location) {
        if (relative == null || relative.isEmpty() || relative.startsWith("/") || relative.contains("\\")) {
            throw unsafe(relative, location);
        }
        for (String segment : relative.split("/", -1)) {
            if (segment.isEmpty() || segment.startsWith(".") || segment.indexOf('\0') >= 0) {
                throw unsafe(relative, location);
            }
        }
        Path resolved = base.resolve(relative).normalize();
        if (!resolved.startsWith(base) || resolved.equals(base)) {
            throw unsafe(relative, location);
        }
        return resolved;
    }

    private static SourceException unsafe(String path, String location) {
        return new SourceException(
                Reason.INVALID,
                location + " lists the file '" + path + "': expected a relative path whose parts do not start with a"
                        + " dot and are not '..'; refused");
    }
}
