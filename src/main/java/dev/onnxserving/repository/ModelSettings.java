package dev.onnxserving.repository;

import dev.onnxserving.pipeline.ModelConfigurationException;
import dev.onnxserving.pipeline.ProcessorOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.dataformat.yaml.YAMLMapper;

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
 * The file binds to {@link File} with Jackson: an unknown or mistyped key is refused with its path.
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

    /** {@code model.yaml} as written; absent keys are {@code null}. */
    record File(
            String description,
            String preprocessor,
            String postprocessor,
            Map<String, Object> options,
            Map<String, Object> batching,
            Map<String, List<Long>> warmup,
            DeploymentSection deployment) {}

    /** The {@code deployment:} section as written. */
    record DeploymentSection(String versions, Long defaultVersion, Boolean defaultModel) {}

    public static final String FILE = "model.yaml";
    public static final String DEFAULT_PROCESSOR = "tensor";
    private static final int MAX_FILE_BYTES = 1 << 20;
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
            .build();

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
     * @throws ModelConfigurationException when the file is unreadable, not YAML, or has unknown or mistyped keys,
     *     naming the key's path
     */
    public static ModelSettings read(Path modelDirectory) {
        Path path = modelDirectory.resolve(FILE);
        if (!Files.isRegularFile(path)) {
            return defaults();
        }
        String text;
        try {
            if (Files.size(path) > MAX_FILE_BYTES) {
                throw new ModelConfigurationException(FILE + " is larger than 1 MB");
            }
            text = Files.readString(path);
        } catch (IOException e) {
            throw new ModelConfigurationException(FILE + " cannot be read: " + firstLine(e.getMessage()));
        }
        if (text.isBlank()) {
            return defaults();
        }
        File file;
        try {
            file = YAML.readValue(text, File.class);
        } catch (JacksonException e) {
            throw new ModelConfigurationException(describe(e));
        }
        return file == null ? defaults() : of(file);
    }

    private static ModelSettings of(File file) {
        DeploymentSection section =
                file.deployment() == null ? new DeploymentSection(null, null, null) : file.deployment();
        if (section.defaultVersion() != null && section.defaultVersion() < 1) {
            throw new ModelConfigurationException(
                    FILE + " deployment.default-version: expected a version number, got " + section.defaultVersion());
        }
        DeploymentDefaults deployment = new DeploymentDefaults(
                section.versions(), section.defaultVersion(), Boolean.TRUE.equals(section.defaultModel()));
        return new ModelSettings(
                file.description() == null ? "" : file.description().trim(),
                name(file.preprocessor(), "preprocessor"),
                name(file.postprocessor(), "postprocessor"),
                new ProcessorOptions(file.options() == null ? Map.of() : file.options()),
                file.batching() == null ? Map.of() : Map.copyOf(file.batching()),
                warmupShapes(file.warmup() == null ? Map.of() : file.warmup()),
                deployment);
    }

    private static String name(String value, String key) {
        if (value == null) {
            return DEFAULT_PROCESSOR;
        }
        if (value.isBlank()) {
            throw new ModelConfigurationException(FILE + " " + key + ": expected a name, got '" + value + "'");
        }
        return value.trim();
    }

    private static Map<String, long[]> warmupShapes(Map<String, List<Long>> section) {
        return section.entrySet().stream().collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, entry -> {
            List<Long> dims = entry.getValue();
            if (dims == null || dims.stream().anyMatch(dim -> dim == null || dim < 0)) {
                throw new ModelConfigurationException(FILE + " warmup." + entry.getKey()
                        + ": expected a list of dimensions such as [1, 3, 48, 192], got " + dims);
            }
            return dims.stream().mapToLong(Long::longValue).toArray();
        }));
    }

    /** The problem in words, naming the key's path: {@code model.yaml warmup.x: expected a list of dimensions}. */
    private static String describe(JacksonException e) {
        List<String> path = e.getPath().stream()
                .map(reference -> reference.getPropertyName() != null
                        ? reference.getPropertyName()
                        : "[" + reference.getIndex() + "]")
                .toList();
        if (e instanceof UnrecognizedPropertyException unknown) {
            String where = String.join(".", path.subList(0, Math.max(0, path.size() - 1)));
            return FILE + (where.isEmpty() ? "" : " " + where) + ": unknown keys [" + unknown.getPropertyName()
                    + "], expected some of "
                    + unknown.getKnownPropertyIds().stream()
                            .map(String::valueOf)
                            .sorted()
                            .toList();
        }
        if (e instanceof MismatchedInputException && !path.isEmpty()) {
            return FILE + " " + String.join(".", path).replace(".[", "[") + ": " + expected(path);
        }
        return FILE + " cannot be read: " + firstLine(e.getOriginalMessage());
    }

    private static String expected(List<String> path) {
        String key = path.get(0);
        if (key.equals("warmup") && path.size() > 1) {
            return "expected a list of dimensions such as [1, 3, 48, 192]";
        }
        if (path.size() == 1
                && List.of("options", "batching", "warmup", "deployment").contains(key)) {
            return "expected a mapping";
        }
        if (path.size() == 1) {
            return "expected a name";
        }
        return switch (path.get(path.size() - 1)) {
            case "default-version" -> "expected a version number";
            case "default-model" -> "expected true or false";
            default -> "expected 'latest', 'latest:N', 'all' or a list such as '1,3'";
        };
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        return message.lines().findFirst().orElse("unknown error");
    }
}
