package dev.onnxserving.deployment;

import dev.onnxserving.deployment.Deployment.SettingNames;
import dev.onnxserving.pipeline.InvalidInputException;
import dev.onnxserving.repository.ModelSettings;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The deployments configuration describes, in three layers: the model's own {@code model.yaml} {@code deployment:}
 * defaults, then {@code serving.models.*} properties, then the configuration file's sections, each overriding the one
 * below key by key. A layer that sets {@code versions} drops the {@code model.yaml} defaults altogether, so one
 * property pins a version and makes it the default. Model names match ignoring case, dashes and underscores.
 * Thread-safe: the file's sections are replaced as a whole.
 */
final class ConfiguredDeployments {

    private final ServingProperties properties;
    private volatile Map<String, ServingProperties.Model> fileSections = Map.of();
    private volatile Set<String> fileNames = Set.of();

    /** @throws DeploymentConflictException when a model's properties contradict each other */
    ConfiguredDeployments(ServingProperties properties) {
        this.properties = properties;
        properties.models().forEach((name, settings) -> Deployment.of(settings, names(name, null, settings)));
    }

    /**
     * The deployment configuration gives {@code name} on top of its {@code model.yaml} defaults.
     *
     * @throws DeploymentConflictException when the layers together route to a version the policy never serves
     */
    Deployment of(String name, ModelSettings.DeploymentDefaults defaults) {
        return of(name, defaults, file(name));
    }

    /**
     * What {@code name}'s deployment would be with {@code sections} as the configuration file's sections: lets the
     * sync fetch what a new file selects before the file is applied.
     */
    Deployment with(
            String name, ModelSettings.DeploymentDefaults defaults, Map<String, ServingProperties.Model> sections) {
        return of(name, defaults, normalised(sections).get(ServingProperties.normalise(name)));
    }

    /**
     * The source each model has, by model name as written: the properties' {@code source}, replaced by the file's.
     *
     * @param sections the configuration file's sections to use, or {@code null} for those in force
     */
    Map<String, String> sources(Map<String, ServingProperties.Model> sections) {
        Map<String, ServingProperties.Model> file = sections == null ? fileSections : normalised(sections);
        Map<String, String> sources = new java.util.TreeMap<>();
        Set<String> names = new TreeSet<>(properties.models().keySet());
        if (sections != null) {
            names.addAll(sections.keySet());
        } else {
            names.addAll(fileNames);
        }
        for (String name : names) {
            ServingProperties.Model model = properties(name).overriddenBy(file.get(ServingProperties.normalise(name)));
            if (model.source() != null) {
                sources.put(name, model.source());
            }
        }
        return sources;
    }

    private Deployment of(String name, ModelSettings.DeploymentDefaults defaults, ServingProperties.Model file) {
        ServingProperties.Model properties = properties(name);
        ServingProperties.Model configured = properties.overriddenBy(file);
        ServingProperties.Model base = configured.versions() != null
                ? configured
                : ServingProperties.Model.of(defaults.versions(), defaults.defaultVersion())
                        .overriddenBy(configured);
        return Deployment.of(base, names(name, file, properties));
    }

    /** Whether configuration marks the model required: readiness waits for it even without a folder. */
    boolean required(String name) {
        return properties(name).overriddenBy(file(name)).required();
    }

    /** The models the properties and the file name, as written there. */
    Set<String> named() {
        Set<String> names = new TreeSet<>(properties.models().keySet());
        names.addAll(fileSections.keySet());
        return names;
    }

    /**
     * Replaces the file's sections.
     *
     * @return the normalised names of the models whose section changed
     * @throws InvalidInputException when a section is invalid; nothing changes then
     * @throws DeploymentConflictException when a section contradicts itself or the properties; nothing changes then
     */
    Set<String> replaceFile(Map<String, ServingProperties.Model> sections) {
        Map<String, ServingProperties.Model> next = normalised(sections);
        sections.forEach((name, section) -> {
            ServingProperties.Model properties = properties(name);
            try {
                Deployment.of(properties.overriddenBy(section), names(name, section, properties));
            } catch (DeploymentConflictException e) {
                throw new DeploymentConflictException(name, e.getMessage());
            } catch (InvalidInputException e) {
                throw new InvalidInputException("models." + name + ": " + e.getMessage());
            }
        });
        Map<String, ServingProperties.Model> before = fileSections;
        fileSections = next;
        fileNames = Set.copyOf(sections.keySet());
        Set<String> changed = new TreeSet<>(before.keySet());
        changed.addAll(next.keySet());
        changed.removeIf(key -> Objects.equals(before.get(key), next.get(key)));
        return changed;
    }

    private static Map<String, ServingProperties.Model> normalised(Map<String, ServingProperties.Model> sections) {
        return sections.entrySet().stream()
                .collect(Collectors.toUnmodifiableMap(
                        entry -> ServingProperties.normalise(entry.getKey()), Map.Entry::getValue, (a, b) -> b));
    }

    private ServingProperties.Model properties(String name) {
        return properties.model(name).orElse(ServingProperties.NO_SETTINGS);
    }

    private ServingProperties.Model file(String name) {
        return fileSections.get(ServingProperties.normalise(name));
    }

    /** Each setting named after the layer that set it, so a conflict message points at the lines to change. */
    private static SettingNames names(String name, ServingProperties.Model file, ServingProperties.Model properties) {
        ServingProperties.Model inFile = file == null ? ServingProperties.NO_SETTINGS : file;
        return new SettingNames(
                where(name, "versions", inFile.versions(), properties.versions()),
                where(name, "default-version", inFile.defaultVersion(), properties.defaultVersion()),
                where(name, "weights", inFile.weights(), properties.weights()),
                where(name, "labels", inFile.labels(), properties.labels()),
                where(name, "shadow.version", inFile.shadow(), properties.shadow()));
    }

    private static String where(String name, String key, Object inFile, Object inProperties) {
        if (inFile != null) {
            return "models." + name + "." + key + " (serving.config-file)";
        }
        if (inProperties != null) {
            return "serving.models." + name + "." + key;
        }
        return "deployment." + key + " (" + name + "/" + ModelSettings.FILE + ")";
    }
}
