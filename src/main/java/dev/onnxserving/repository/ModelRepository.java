package dev.onnxserving.repository;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What exists on disk: {@code <root>/<model>/<version>/model.onnx}. Scans only; never loads anything.
 *
 * <p>Beside the local root there may be a cache root: the models in {@link SourcedModels} (synced from a source)
 * live there, under the same layout, and every other model lives under the local root. A model name maps to exactly
 * one root; a model that is sourced and also has a local folder is served from the cache, and the local folder is
 * skipped with a warning.
 *
 * <p>Model folder names must be safe names (letters, digits, {@code . _ -}, not starting with a dot); version
 * folders must be positive integers without leading zeros. Anything else is skipped with a warning (once per entry);
 * entries starting with a dot are skipped silently, so a version can be prepared in a dot-folder and renamed into
 * place. A folder or model file that is a link resolving outside the repository is refused.
 */
public final class ModelRepository {

    private static final Logger log = LoggerFactory.getLogger(ModelRepository.class);
    private static final Pattern MODEL_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final Path root;
    private final Path cacheRoot;
    private final SourcedModels sourced;
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    /** A local repository only. */
    public ModelRepository(Path root) {
        this(root, null, new SourcedModels());
    }

    /**
     * @param cacheRoot where the sourced models are synced to, or {@code null} for none
     * @param sourced the models that come from a source
     */
    public ModelRepository(Path root, Path cacheRoot, SourcedModels sourced) {
        this.root = root.toAbsolutePath().normalize();
        this.cacheRoot = cacheRoot == null ? null : cacheRoot.toAbsolutePath().normalize();
        this.sourced = sourced;
    }

    /** The local root. */
    public Path root() {
        return root;
    }

    /** The local root, then the cache root when there is one: where models may be. */
    public List<Path> roots() {
        return cacheRoot == null ? List.of(root) : List.of(root, cacheRoot);
    }

    /** Whether {@code name} comes from a source (its folder is in the cache), whether or not it is there yet. */
    public boolean isSourced(String name) {
        return cacheRoot != null && sourced.contains(name);
    }

    /** The models that come from a source. */
    public Set<String> sourcedNames() {
        return cacheRoot == null ? Set.of() : sourced.names();
    }

    /** The folders of every safe model that exists now, local and cached. */
    public List<Path> modelDirectories() {
        return scan().keySet().stream()
                .map(this::safeModelDirectory)
                .flatMap(Optional::stream)
                .toList();
    }

    /** Whether {@code name} is acceptable as a model name (and so as a folder under the root). */
    public static boolean isValidModelName(String name) {
        return name != null && MODEL_NAME.matcher(name).matches();
    }

    /** Every model on disk with its versions, oldest first, by model name. */
    public Map<String, List<ModelVersion>> scan() {
        Map<String, List<ModelVersion>> models = new TreeMap<>();
        if (!Files.isDirectory(root)) {
            if (sourcedNames().isEmpty()) {
                log.warn("Model repository {} does not exist or is not a directory", root);
            }
        } else {
            scanLocal(models);
        }
        for (String name : sourcedNames()) {
            safeModelDirectory(name).ifPresent(directory -> models.put(name, versions(name, directory)));
        }
        return models;
    }

    private void scanLocal(Map<String, List<ModelVersion>> models) {
        for (Path modelDirectory : children(root)) {
            String name = modelDirectory.getFileName().toString();
            if (isHidden(name)) {
                continue;
            }
            if (!isValidModelName(name)) {
                warnOnce(name, "Skipping '{}' in the model repository: not a valid model name", name);
                continue;
            }
            if (!isInside(modelDirectory)) {
                warnOnce(name, "Skipping '{}' in the model repository: it links outside the repository", name);
                continue;
            }
            if (isSourced(name)) {
                warnOnce(
                        "sourced/" + name,
                        "Skipping the local folder of model '{}': it is configured with a source, so it is served"
                                + " from the cache {}",
                        name,
                        cacheRoot);
                continue;
            }
            models.put(name, versions(name, modelDirectory));
        }
    }

    /** The versions of one model, oldest first; empty when the model folder does not exist or is not safe. */
    public List<ModelVersion> versions(String name) {
        return safeModelDirectory(name)
                .map(directory -> versions(name, directory))
                .orElse(List.of());
    }

    /** One version on disk, when its folder exists, holds a model file and stays inside the repository. */
    public Optional<ModelVersion> version(String name, long version) {
        return versions(name).stream().filter(v -> v.version() == version).findFirst();
    }

    /** Where the model's folder is (or would be): in the cache when it is sourced, else under the local root. */
    public Path modelDirectory(String name) {
        return rootOf(name).resolve(name);
    }

    private Path rootOf(String name) {
        return isSourced(name) ? cacheRoot : root;
    }

    /**
     * The model's folder when {@code name} is a valid model name and the folder exists and resolves inside the
     * repository (a link out of it is refused).
     */
    public Optional<Path> safeModelDirectory(String name) {
        if (!isValidModelName(name)) {
            return Optional.empty();
        }
        Path directory = modelDirectory(name);
        return Files.isDirectory(directory) && isInside(directory) ? Optional.of(directory) : Optional.empty();
    }

    /** Whether the model folder exists but is a link that resolves outside the repository. */
    public boolean linksOutside(String name) {
        if (!isValidModelName(name)) {
            return false;
        }
        Path directory = modelDirectory(name);
        return Files.exists(directory) && !isInside(directory);
    }

    /** Whether {@code path}, with every link resolved, is inside the real local root or the real cache root. */
    public boolean isInside(Path path) {
        try {
            Path real = path.toRealPath();
            for (Path each : roots()) {
                if (Files.isDirectory(each) && real.startsWith(each.toRealPath())) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    private List<ModelVersion> versions(String name, Path modelDirectory) {
        List<ModelVersion> versions = new ArrayList<>();
        for (Path versionDirectory : children(modelDirectory)) {
            String folder = versionDirectory.getFileName().toString();
            if (isHidden(folder)) {
                continue;
            }
            String key = name + "/" + folder;
            if (!VersionNumbers.isValid(folder)) {
                warnOnce(
                        key,
                        "Skipping '{}' in model '{}': version folders are positive integers without leading zeros",
                        folder,
                        name);
                continue;
            }
            Path modelFile = versionDirectory.resolve(ModelVersion.MODEL_FILE);
            if (!Files.isRegularFile(modelFile)) {
                warnOnce(key, "Skipping version {} of model '{}': it has no {}", folder, name, ModelVersion.MODEL_FILE);
                continue;
            }
            if (!isInside(versionDirectory) || !isInside(modelFile)) {
                warnOnce(key, "Skipping version {} of model '{}': it links outside the repository", folder, name);
                continue;
            }
            warned.remove(key);
            versions.add(new ModelVersion(name, Long.parseLong(folder), versionDirectory));
        }
        versions.sort(Comparator.comparingLong(ModelVersion::version));
        return versions;
    }

    private static boolean isHidden(String name) {
        return name.startsWith(".");
    }

    private void warnOnce(String key, String message, Object... arguments) {
        if (warned.add(key)) {
            log.warn(message, arguments);
        }
    }

    private static List<Path> children(Path directory) {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.filter(Files::isDirectory).sorted().toList();
        } catch (java.nio.file.NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
    }
}
