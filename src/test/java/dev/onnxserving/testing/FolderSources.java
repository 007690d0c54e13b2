package dev.onnxserving.testing;

import dev.onnxserving.repository.source.ModelSource;
import dev.onnxserving.repository.source.ModelSourceFactory;
import dev.onnxserving.repository.source.SourceException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Serves the scheme {@code test}: {@code test://<folder-key>/<model>} is the model folder {@code <model>} of the folder
 * registered under the key. Each model's {@link FolderSource} is kept, so a test can switch its faults on.
 */
public final class FolderSources implements ModelSourceFactory {

    public static final String SCHEME = "test";

    private final Map<String, Path> folders = new ConcurrentHashMap<>();
    private final Map<URI, FolderSource> sources = new ConcurrentHashMap<>();
    private volatile SourceException.Reason down;

    /** Listing the models below a location fails with {@code reason} (each model's source is switched apart). */
    public void down(SourceException.Reason reason) {
        down = reason;
    }

    /** Registers {@code folder} under {@code key}; its location is {@code test://<key>}. */
    public String register(String key, Path folder) {
        folders.put(key, folder);
        return SCHEME + "://" + key;
    }

    /** The source of {@code location}, made on first use. */
    public FolderSource source(String location) {
        URI uri = URI.create(location);
        return sources.computeIfAbsent(uri, key -> {
            Path folder = folders.get(key.getHost());
            if (folder == null) {
                throw new IllegalArgumentException("no test folder registered as '" + key.getHost() + "'");
            }
            return new FolderSource(location, folder.resolve(key.getPath().substring(1)));
        });
    }

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    public ModelSource model(URI location) {
        return source(location.toString());
    }

    @Override
    public List<String> models(URI location) {
        if (down != null) {
            throw new SourceException(down, location + ": " + down.tag() + " (test source switched off)");
        }
        Path folder = folders.get(location.getHost());
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.filter(Files::isDirectory)
                    .map(path -> path.getFileName().toString())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
