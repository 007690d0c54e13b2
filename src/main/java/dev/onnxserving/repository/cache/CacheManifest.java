package dev.onnxserving.repository.cache;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * What the cache records beside the files it fetched, in {@value #FILE}: where they came from and the digests they
 * were checked against. In a version folder it says which content the version holds, so an unchanged version is never
 * fetched again; in a model folder it lists the model's own files.
 *
 * @param location the source location they came from (never a credential)
 * @param digest the version's digest at the source; empty for a model folder
 * @param files each file's path to its digest at the source
 */
public record CacheManifest(String location, String digest, Map<String, String> files) {

    /** The manifest's name: a dot-file, so no source file can have it and no scan takes it for a version. */
    public static final String FILE = ".source.properties";

    private static final String FILE_PREFIX = "file.";

    public CacheManifest {
        files = Map.copyOf(files);
    }

    /** The manifest of {@code folder}; empty when it has none or it is unreadable (the folder is then fetched again). */
    public static Optional<CacheManifest> read(Path folder) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(folder.resolve(FILE), StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
        String location = properties.getProperty("location");
        String digest = properties.getProperty("digest");
        if (location == null || digest == null) {
            return Optional.empty();
        }
        Map<String, String> files = new TreeMap<>();
        properties.stringPropertyNames().stream()
                .filter(key -> key.startsWith(FILE_PREFIX))
                .forEach(key -> files.put(key.substring(FILE_PREFIX.length()), properties.getProperty(key)));
        return Optional.of(new CacheManifest(location, digest, files));
    }

    /** Writes the manifest into {@code folder}, replacing the one there in one rename. */
    void write(Path folder) {
        Properties properties = new Properties();
        properties.setProperty("location", location);
        properties.setProperty("digest", digest);
        files.forEach((path, fileDigest) -> properties.setProperty(FILE_PREFIX + path, fileDigest));
        Path temporary = folder.resolve(FILE + ".partial");
        try {
            try (Writer writer = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
                properties.store(writer, null);
            }
            Files.move(
                    temporary,
                    folder.resolve(FILE),
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + folder.resolve(FILE), e);
        }
    }
}
