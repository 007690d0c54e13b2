package dev.onnxserving.repository;

import dev.onnxserving.pipeline.ModelConfigurationException;
import dev.onnxserving.pipeline.ProcessorOptions;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * What belongs to a model rather than to a deployment, read from {@code model.yaml} beside its version folders.
 *
 * <pre>
 * description: Iris flower classifier
 * preprocessor: tabular          # default: tensor
 * postprocessor: classification  # default: tensor
 * options:                       # handed to the processors
 *   labels-file: labels.txt
 * batching:                      # defaults for dynamic batching
 *   enabled: true
 * warmup:                        # shapes for the warm-up run where dynamic dims need other than 1
 *   x: [1, 3, 48, 192]
 * deployment:                    # the model's own deployment defaults; serving.models.&lt;name&gt;.* overrides them
 *   versions: all
 *   default-version: 2
 *   default-model: true          # answers /predict when serving.default-model names no model
 * </pre>
 *
 * @param description free text shown in the models listing
 * @param preprocessor the name of the {@code Preprocessor} bean
 * @param postprocessor the name of the {@code Postprocessor} bean
 * @param options the processors' options
 * @param batching the raw {@code batching} section
 * @param warmupShapes input name to the concrete shape used for the warm-up run
 * @param deployment the model's own deployment defaults
 */
public record ModelSettings(
        String description,
        String preprocessor,
        String postprocessor,
        ProcessorOptions options,
        Map<String, Object> batching,
        Map<String, long[]> warmupShapes,
        DeploymentDefaults deployment) {

    /**
     * What the model itself proposes for its deployment, overridden by deployment configuration.
     *
     * @param versions the version policy, {@code null} for the product's default ({@code latest})
     * @param defaultVersion the version requests naming none go to, {@code null} for the newest served
     * @param defaultModel whether this model answers {@code /predict} when {@code serving.default-model} is not set
     */
    public record DeploymentDefaults(String versions, Long defaultVersion, boolean defaultModel) {
        public static final DeploymentDefaults NONE = new DeploymentDefaults(null, null, false);
    }

    public static final String FILE = "model.yaml";
    public static final String DEFAULT_PROCESSOR = "tensor";
    private static final Set<String> KEYS =
            Set.of("description", "preprocessor", "postprocessor", "options", "batching", "warmup", "deployment");
    private static final Set<String> DEPLOYMENT_KEYS = Set.of("versions", "default-version", "default-model");
    private static final int MAX_FILE_BYTES = 1 << 20;

    public static ModelSettings defaults() {
        return new ModelSettings(
                "",
                DEFAULT_PROCESSOR,
                DEFAULT_PROCESSOR,
                ProcessorOptions.empty(),
                Map.of(),
                Map.of(),
                DeploymentDefaults.NONE);
    }

    /**
     * Reads {@code model.yaml} in {@code modelDirectory}; defaults when there is none.
     *
     * @throws ModelConfigurationException when the file is unreadable, not YAML, or has unknown or mistyped keys
     */
    public static ModelSettings read(Path modelDirectory) {
        Path file = modelDirectory.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return defaults();
        }
        Object document;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new ModelConfigurationException(FILE + " is larger than 1 MB");
            }
            LoaderOptions loaderOptions = new LoaderOptions();
            loaderOptions.setAllowDuplicateKeys(false);
            loaderOptions.setMaxAliasesForCollections(10);
            try (Reader reader = Files.newBufferedReader(file)) {
                document = new Yaml(new SafeConstructor(loaderOptions)).load(reader);
            }
        } catch (IOException | YAMLException e) {
            throw new ModelConfigurationException(FILE + " cannot be read: " + firstLine(e.getMessage()));
        }
        if (document == null) {
            return defaults();
        }
        Map<String, Object> root = section(document, "the document");
        List<String> unknown =
                root.keySet().stream().filter(key -> !KEYS.contains(key)).toList();
        if (!unknown.isEmpty()) {
            throw new ModelConfigurationException(FILE + ": unknown keys " + unknown + ", expected some of "
                    + KEYS.stream().sorted().toList());
        }
        return new ModelSettings(
                text(root, "description", ""),
                text(root, "preprocessor", DEFAULT_PROCESSOR),
                text(root, "postprocessor", DEFAULT_PROCESSOR),
                new ProcessorOptions(section(root.getOrDefault("options", Map.of()), "options")),
                section(root.getOrDefault("batching", Map.of()), "batching"),
                warmupShapes(section(root.getOrDefault("warmup", Map.of()), "warmup")),
                deployment(section(root.getOrDefault("deployment", Map.of()), "deployment")));
    }

    private static DeploymentDefaults deployment(Map<String, Object> section) {
        List<String> unknown = section.keySet().stream()
                .filter(key -> !DEPLOYMENT_KEYS.contains(key))
                .toList();
        if (!unknown.isEmpty()) {
            throw new ModelConfigurationException(FILE + " deployment: unknown keys " + unknown + ", expected some of "
                    + DEPLOYMENT_KEYS.stream().sorted().toList());
        }
        Object versions = section.get("versions");
        if (versions != null && !(versions instanceof String) && !(versions instanceof Integer)) {
            throw new ModelConfigurationException(FILE + " deployment.versions: expected 'latest', 'latest:N', 'all'"
                    + " or a list such as '1,3', got '" + versions + "'");
        }
        Object defaultVersion = section.get("default-version");
        if (defaultVersion != null && !(defaultVersion instanceof Integer number && number > 0)) {
            throw new ModelConfigurationException(
                    FILE + " deployment.default-version: expected a version number, got '" + defaultVersion + "'");
        }
        Object defaultModel = section.getOrDefault("default-model", false);
        if (!(defaultModel instanceof Boolean marked)) {
            throw new ModelConfigurationException(
                    FILE + " deployment.default-model: expected true or false, got '" + defaultModel + "'");
        }
        return new DeploymentDefaults(
                versions == null ? null : versions.toString(),
                defaultVersion == null ? null : ((Integer) defaultVersion).longValue(),
                marked);
    }

    private static String text(Map<String, Object> root, String key, String fallback) {
        Object value = root.get(key);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof String text) || text.isBlank()) {
            throw new ModelConfigurationException(FILE + " " + key + ": expected a name, got '" + value + "'");
        }
        return text.trim();
    }

    private static Map<String, Object> section(Object value, String name) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new ModelConfigurationException(FILE + " " + name + ": expected a mapping, got '" + value + "'");
        }
        Map<String, Object> result = new LinkedHashMap<>();
        map.forEach((key, item) -> result.put(String.valueOf(key), item));
        return result;
    }

    private static Map<String, long[]> warmupShapes(Map<String, Object> section) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        section.forEach((input, value) -> {
            if (!(value instanceof List<?> dims)
                    || !dims.stream().allMatch(dim -> dim instanceof Integer i && i >= 0)) {
                throw new ModelConfigurationException(FILE + " warmup." + input
                        + ": expected a list of dimensions such as [1, 3, 48, 192], got '" + value + "'");
            }
            shapes.put(
                    input,
                    dims.stream().mapToLong(dim -> ((Integer) dim).longValue()).toArray());
        });
        return Map.copyOf(shapes);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        return message.lines().findFirst().orElse("unknown error");
    }
}
