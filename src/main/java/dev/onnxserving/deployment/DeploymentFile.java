package dev.onnxserving.deployment;

import dev.onnxserving.pipeline.InvalidInputException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads the external configuration file: per-model deployment settings under {@code models:} (or {@code
 * serving.models:}, so a fragment of {@code application.yaml} works as it is).
 *
 * <pre>
 * models:
 *   iris:
 *     versions: all              # latest | latest:N | all | [1, 3]
 *     default-version: 2
 *     weights: {2: 90, 3: 10}
 *     sticky-header: X-User-Id
 *     labels: {stable: 2, canary: 3}
 *     shadow: {version: 3, fraction: 0.1}
 *     required: true             # readiness waits for it even without a folder
 *     source: s3://bucket/models/iris   # synced into the cache; set or changed here without a restart
 * </pre>
 */
public final class DeploymentFile {

    private static final Set<String> MODEL_KEYS =
            Set.of("versions", "default-version", "weights", "sticky-header", "labels", "shadow", "required", "source");
    private static final java.util.regex.Pattern LOCATION =
            java.util.regex.Pattern.compile("[a-zA-Z][a-zA-Z0-9+.-]*://\\S+");
    private static final Set<String> SHADOW_KEYS = Set.of("version", "fraction");
    public static final int MAX_BYTES = 1 << 20;

    private DeploymentFile() {}

    /**
     * @throws InvalidInputException naming the key that is wrong, what was expected and what came
     */
    public static Map<String, ServingProperties.Model> parse(String text) {
        Object document;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            options.setMaxAliasesForCollections(10);
            document = new Yaml(new SafeConstructor(options)).load(text);
        } catch (YAMLException e) {
            String message = e.getMessage() == null
                    ? "unknown error"
                    : e.getMessage().lines().findFirst().orElse("");
            throw new InvalidInputException("not valid YAML: " + message);
        }
        if (document == null) {
            return Map.of();
        }
        Map<String, Object> root = mapping(document, "the document");
        if (root.containsKey("serving")) {
            root = mapping(root.get("serving"), "serving");
        }
        Object models = root.get("models");
        if (models == null) {
            return Map.of();
        }
        Map<String, ServingProperties.Model> result = new LinkedHashMap<>();
        mapping(models, "models").forEach((name, section) -> result.put(name, model(name, section)));
        return result;
    }

    private static ServingProperties.Model model(String name, Object value) {
        String where = "models." + name;
        Map<String, Object> section = section(value, MODEL_KEYS, where);
        ServingProperties.ShadowSettings shadow = null;
        if (section.get("shadow") != null) {
            Map<String, Object> shadowSection = section(section.get("shadow"), SHADOW_KEYS, where + ".shadow");
            shadow = new ServingProperties.ShadowSettings(
                    number(shadowSection.get("version"), where + ".shadow.version"),
                    fraction(shadowSection.get("fraction"), where + ".shadow.fraction"));
        }
        return new ServingProperties.Model(
                versions(section.get("versions"), where + ".versions"),
                number(section.get("default-version"), where + ".default-version"),
                weights(section.get("weights"), where + ".weights"),
                text(section.get("sticky-header"), where + ".sticky-header"),
                labels(section.get("labels"), where + ".labels"),
                shadow,
                null,
                required(section.get("required"), where + ".required"),
                source(section.get("source"), where + ".source"));
    }

    private static String source(Object value, String where) {
        if (value == null) {
            return null;
        }
        if (value instanceof String text && LOCATION.matcher(text.trim()).matches()) {
            return text.trim();
        }
        throw new InvalidInputException(where + ": expected a URI such as 's3://bucket/prefix', got '" + value + "'");
    }

    private static boolean required(Object value, String where) {
        if (value == null) {
            return false;
        }
        if (value instanceof Boolean required) {
            return required;
        }
        throw new InvalidInputException(where + ": expected true or false, got '" + value + "'");
    }

    private static String versions(Object value, String where) {
        if (value == null) {
            return null;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(String::valueOf).collect(Collectors.joining(","));
        }
        if (value instanceof String || value instanceof Integer || value instanceof Long) {
            return value.toString();
        }
        throw new InvalidInputException(
                where + ": expected 'latest', 'latest:N', 'all' or a list of versions, got '" + value + "'");
    }

    private static Map<String, Integer> weights(Object value, String where) {
        if (value == null) {
            return null;
        }
        Map<String, Integer> weights = new LinkedHashMap<>();
        mapping(value, where).forEach((version, weight) -> {
            if (!(weight instanceof Integer number)) {
                throw new InvalidInputException(
                        where + "." + version + ": expected a whole number of 0 or more, got '" + weight + "'");
            }
            weights.put(version, number);
        });
        return weights;
    }

    private static Map<String, Long> labels(Object value, String where) {
        if (value == null) {
            return null;
        }
        Map<String, Long> labels = new LinkedHashMap<>();
        mapping(value, where).forEach((label, version) -> labels.put(label, number(version, where + "." + label)));
        return labels;
    }

    private static Long number(Object value, String where) {
        if (value == null) {
            return null;
        }
        if (value instanceof Integer || value instanceof Long) {
            return ((Number) value).longValue();
        }
        if (value instanceof String text && text.matches("[1-9][0-9]{0,17}")) {
            return Long.parseLong(text);
        }
        throw new InvalidInputException(where + ": expected a version number, got '" + value + "'");
    }

    private static Double fraction(Object value, String where) {
        if (value == null) {
            return null;
        }
        if (value instanceof Number number) {
            return number.doubleValue();
        }
        throw new InvalidInputException(where + ": expected a number from 0 to 1, got '" + value + "'");
    }

    private static String text(Object value, String where) {
        if (value == null) {
            return null;
        }
        if (value instanceof String text) {
            return text;
        }
        throw new InvalidInputException(where + ": expected a header name, got '" + value + "'");
    }

    /** A mapping whose keys are all among {@code keys}. */
    private static Map<String, Object> section(Object value, Set<String> keys, String where) {
        Map<String, Object> section = mapping(value, where);
        List<String> unknown =
                section.keySet().stream().filter(key -> !keys.contains(key)).toList();
        if (!unknown.isEmpty()) {
            throw new InvalidInputException(where + ": unknown keys " + unknown + ", expected some of "
                    + keys.stream().sorted().toList());
        }
        return section;
    }

    private static Map<String, Object> mapping(Object value, String where) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new InvalidInputException(where + ": expected a mapping, got '" + value + "'");
        }
        Map<String, Object> result = new LinkedHashMap<>();
        map.forEach((key, item) -> result.put(String.valueOf(key), item));
        return result;
    }
}
