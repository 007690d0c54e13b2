package dev.onnxserving.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What exists on disk: {@code <root>/<model>/<version>/model.onnx}. Scans only; never loads anything.
 *
 * <p>Model folder names must be safe names (letters, digits, {@code . _ -}, not starting with a dot); version
 * folders must be positive integers without leading zeros. Anything else is skipped with a warning.
 */
public final class ModelRepository {

    private static final Logger log = LoggerFactory.getLogger(ModelRepository.class);
    private static final Pattern MODEL_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final Path root;

    public ModelRepository(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /** Whether {@code name} is acceptable as a model name (and so as a folder under the root). */
    public static boolean isValidModelName(String name) {
        return name != null && MODEL_NAME.matcher(name).matches();
    }

    /** Every model on disk with its versions, oldest first, by model name. */
    public Map<String, List<ModelVersion>> scan() {
        Map<String, List<ModelVersion>> models = new TreeMap<>();
        if (!Files.isDirectory(root)) {
            log.warn("Model repository {} does not exist or is not a directory", root);
            return models;
        }
        for (Path modelDirectory : children(root)) {
            String name = modelDirectory.getFileName().toString();
            if (!isValidModelName(name)) {
                log.warn("Skipping '{}' in the model repository: not a valid model name", name);
                continue;
            }
            models.put(name, versions(name, modelDirectory));
        }
        return models;
    }

    /** The versions of one model, oldest first; empty when the model folder does not exist. */
    public List<ModelVersion> versions(String name) {
        if (!isValidModelName(name)) {
            return List.of();
        }
        Path directory = modelDirectory(name);
        return Files.isDirectory(directory) ? versions(name, directory) : List.of();
    }

    public Path modelDirectory(String name) {
        return root.resolve(name);
    }

    private List<ModelVersion> versions(String name, Path modelDirectory) {
        List<ModelVersion> versions = new ArrayList<>();
        for (Path versionDirectory : children(modelDirectory)) {
            String folder = versionDirectory.getFileName().toString();
            if (!VersionNumbers.isValid(folder)) {
                log.warn(
                        "Skipping '{}' in model '{}': version folders are positive integers without leading zeros",
                        folder,
                        name);
                continue;
            }
            if (!Files.isRegularFile(versionDirectory.resolve(ModelVersion.MODEL_FILE))) {
                log.warn("Skipping version {} of model '{}': it has no {}", folder, name, ModelVersion.MODEL_FILE);
                continue;
            }
            versions.add(new ModelVersion(name, Long.parseLong(folder), versionDirectory));
        }
        versions.sort(Comparator.comparingLong(ModelVersion::version));
        return versions;
    }

    private static List<Path> children(Path directory) {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
    }
}
