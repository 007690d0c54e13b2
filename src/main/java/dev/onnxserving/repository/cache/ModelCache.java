package dev.onnxserving.repository.cache;

import dev.onnxserving.repository.ModelVersion;
import dev.onnxserving.repository.VersionNumbers;
import dev.onnxserving.repository.source.ModelSource;
import dev.onnxserving.repository.source.SourceException;
import dev.onnxserving.repository.source.SourceException.Reason;
import dev.onnxserving.repository.source.SourceFile;
import dev.onnxserving.repository.source.SourceVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cache folder: {@code <root>/<model>/<version>/...} and {@code <root>/<model>/model.yaml}, the same layout as a
 * local repository, each folder with its {@link CacheManifest}. Every fetch goes into a dot-named work folder directly
 * in the root and only a complete, checked result is renamed into place, so a failed, partial or corrupt fetch never
 * replaces what serves and never leaves a folder that loads. One caller at a time per model (the sync serialises).
 */
public final class ModelCache {

    private static final Logger log = LoggerFactory.getLogger(ModelCache.class);

    private final Path root;

    public ModelCache(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /** Removes the work folders an interrupted run left behind; for start-up, before any sync. */
    public void removeStalePartials() {
        for (Path entry : CacheFolders.children(root)) {
            String name = entry.getFileName().toString();
            if (name.startsWith(".") && name.contains(CacheFolders.PARTIAL)) {
                log.info("Removing {} from the cache: left by an interrupted download", entry);
                CacheFolders.delete(entry);
            }
        }
    }

    /** The manifest of a cached version, when the version is cached. */
    public Optional<CacheManifest> version(String name, long number) {
        return CacheManifest.read(versionFolder(name, number));
    }

    /** The cached versions of {@code name}: those with a manifest, by number. */
    public SortedSet<Long> versions(String name) {
        return CacheFolders.children(root.resolve(name)).stream()
                .map(path -> path.getFileName().toString())
                .filter(VersionNumbers::isValid)
                .map(Long::parseLong)
                .filter(number -> version(name, number).isPresent())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Each cached version's manifest, by number. */
    public Map<Long, CacheManifest> manifests(String name) {
        Map<Long, CacheManifest> manifests = new TreeMap<>();
        versions(name).forEach(number -> version(name, number).ifPresent(m -> manifests.put(number, m)));
        return manifests;
    }

    /** The models in the cache whose own files came from below {@code location}: a repository source's models. */
    public Set<String> modelsBelow(String location) {
        String prefix = location.endsWith("/") ? location : location + "/";
        return CacheFolders.children(root).stream()
                .filter(Files::isDirectory)
                .filter(path -> !path.getFileName().toString().startsWith("."))
                .filter(path -> CacheManifest.read(path)
                        .map(manifest -> manifest.location().startsWith(prefix))
                        .orElse(false))
                .map(path -> path.getFileName().toString())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * Brings the model's own files ({@code model.yaml}, labels...) in line with the source: fetches those whose digest
     * changed, moves them into place together, removes those the source no longer has.
     *
     * @return the bytes fetched
     */
    public long updateModelFiles(String name, ModelSource source, List<SourceFile> files, ModelLock lock) {
        Path folder = root.resolve(name);
        CacheManifest before = CacheManifest.read(folder).orElse(new CacheManifest("", "", Map.of()));
        Map<String, String> wanted = new TreeMap<>();
        files.forEach(file -> wanted.put(file.path(), file.digest()));
        List<SourceFile> changed = files.stream()
                .filter(file -> !file.digest().equals(before.files().get(file.path()))
                        || !Files.isRegularFile(SafePaths.resolve(folder, file.path(), source.location())))
                .toList();
        for (SourceFile file : files) {
            String first = file.path().split("/", -1)[0];
            if (VersionNumbers.isValid(first)) {
                throw new SourceException(
                        Reason.INVALID,
                        source.location() + " lists the model file '" + file.path() + "' inside a version folder");
            }
        }
        if (changed.isEmpty()
                && wanted.equals(before.files())
                && before.location().equals(source.location())) {
            return 0;
        }
        Path work = CacheFolders.workFolder(root, name + ".files");
        try {
            long bytes = fetchAll(work, source, changed);
            lock.exclusive(name, () -> {
                CacheFolders.createDirectories(folder);
                for (SourceFile file : changed) {
                    CacheFolders.move(
                            SafePaths.resolve(work, file.path(), source.location()),
                            SafePaths.resolve(folder, file.path(), source.location()));
                }
                before.files().keySet().stream()
                        .filter(path -> !wanted.containsKey(path))
                        .forEach(path -> CacheFolders.delete(SafePaths.resolve(folder, path, source.location())));
                new CacheManifest(source.location(), "", wanted).write(folder);
            });
            log.info("Model '{}': its files {} are fetched from {}", name, wanted.keySet(), source.location());
            return bytes;
        } finally {
            CacheFolders.delete(work);
        }
    }

    /**
     * Fetches every file of {@code version} into a work folder, checks each one's size, records the manifest and
     * renames the folder into place (replacing a cached version of the same number under the model's lock).
     *
     * @return the bytes fetched
     * @throws SourceException when the source fails or sends something unusable; nothing in place changes then
     */
    public long download(String name, ModelSource source, SourceVersion version, ModelLock lock) {
        boolean hasModel = version.files().stream().anyMatch(file -> file.path().equals(ModelVersion.MODEL_FILE));
        if (!hasModel) {
            throw new SourceException(
                    Reason.INVALID,
                    source.location() + " version " + version.number() + " has no " + ModelVersion.MODEL_FILE);
        }
        Path work = CacheFolders.workFolder(root, name + "." + version.number());
        try {
            long bytes = fetchAll(work, source, version.files());
            Map<String, String> digests = new HashMap<>();
            version.files().forEach(file -> digests.put(file.path(), file.digest()));
            new CacheManifest(source.location(), version.digest(), digests).write(work);
            Path target = versionFolder(name, version.number());
            lock.exclusive(name, () -> {
                Path aside = root.resolve("." + name + "." + version.number() + ".replaced" + CacheFolders.PARTIAL);
                boolean replacing = Files.exists(target);
                if (replacing) {
                    CacheFolders.delete(aside);
                    CacheFolders.move(target, aside);
                }
                CacheFolders.move(work, target);
                CacheFolders.delete(aside);
            });
            return bytes;
        } finally {
            CacheFolders.delete(work);
        }
    }

    /** Removes a cached version (its folder is renamed away under the model's lock first, then deleted). */
    public void remove(String name, long number, ModelLock lock) {
        Path target = versionFolder(name, number);
        Path aside = root.resolve("." + name + "." + number + ".removed" + CacheFolders.PARTIAL);
        lock.exclusive(name, () -> {
            CacheFolders.delete(aside);
            if (Files.exists(target)) {
                CacheFolders.move(target, aside);
            }
        });
        CacheFolders.delete(aside);
    }

    private long fetchAll(Path work, ModelSource source, List<SourceFile> files) {
        long bytes = 0;
        for (SourceFile file : files) {
            Path target = SafePaths.resolve(work, file.path(), source.location());
            CacheFolders.createDirectories(target.getParent());
            source.fetch(file, target);
            long size = CacheFolders.size(target);
            if (file.size() >= 0 && size != file.size()) {
                throw new SourceException(
                        Reason.CORRUPT,
                        source.location() + " file '" + file.path() + "': expected " + file.size() + " bytes, got "
                                + size);
            }
            bytes += size;
        }
        return bytes;
    }

    private Path versionFolder(String name, long number) {
        return root.resolve(name).resolve(Long.toString(number));
    }
}
