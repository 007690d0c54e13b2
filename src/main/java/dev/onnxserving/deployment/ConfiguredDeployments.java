package dev.onnxserving.deployment;

import dev.onnxserving.pipeline.InvalidInputException;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The deployments configuration describes: {@code serving.models.*} properties, overridden key by key by the
 * configuration file's sections. Model names match ignoring case, dashes and underscores. Thread-safe: the file's
 * sections are replaced as a whole.
 */
final class ConfiguredDeployments {

    private final ModelsProperties properties;
    private volatile Map<String, ModelsProperties.Model> fileSections = Map.of();

    ConfiguredDeployments(ModelsProperties properties) {
        this.properties = properties;
    }

    /** The deployment configuration gives {@code name}; the defaults ({@code latest}, no routing) when none. */
    Deployment of(String name) {
        return Deployment.of(settings(name).overriddenBy(fileSections.get(ModelsProperties.normalise(name))));
    }

    /** Whether configuration names the model (or makes it the default model), so it stays known without a folder. */
    boolean names(String name) {
        return properties.model(name).isPresent()
                || fileSections.containsKey(ModelsProperties.normalise(name))
                || name.equals(properties.defaultModel());
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
     */
    Set<String> replaceFile(Map<String, ModelsProperties.Model> sections) {
        Map<String, ModelsProperties.Model> next = sections.entrySet().stream()
                .collect(Collectors.toUnmodifiableMap(
                        entry -> ModelsProperties.normalise(entry.getKey()), Map.Entry::getValue, (a, b) -> b));
        next.forEach((name, section) -> {
            try {
                Deployment.of(settings(name).overriddenBy(section));
            } catch (InvalidInputException e) {
                throw new InvalidInputException("models." + name + ": " + e.getMessage());
            }
        });
        Map<String, ModelsProperties.Model> before = fileSections;
        fileSections = next;
        Set<String> changed = new TreeSet<>(before.keySet());
        changed.addAll(next.keySet());
        changed.removeIf(key -> Objects.equals(before.get(key), next.get(key)));
        return changed;
    }

    private ModelsProperties.Model settings(String name) {
        return properties.model(name).orElse(ModelsProperties.NO_SETTINGS);
    }
}
