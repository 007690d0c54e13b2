package dev.onnxserving.watching;

import dev.onnxserving.deployment.ModelManager;
import dev.onnxserving.deployment.ServingProperties;
import dev.onnxserving.repository.ModelRepository;
import dev.onnxserving.repository.cache.ModelCache;
import dev.onnxserving.repository.source.SourceException;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which model comes from which location: each model's configured {@code source}, over the models directly below
 * {@code serving.repository.source}. While the repository source cannot be listed, its models are those it last
 * listed, or at start the ones the cache holds from it, so a restart with the source down still serves them.
 */
final class SourceAssignment {

    private static final Logger log = LoggerFactory.getLogger(SourceAssignment.class);

    private final ModelManager manager;
    private final SourceLocations locations;
    private final String repositorySource;
    private final ModelCache cache;
    private volatile Set<String> repositoryModels = Set.of();

    SourceAssignment(ModelManager manager, SourceLocations locations, String repositorySource, ModelCache cache) {
        this.manager = manager;
        this.locations = locations;
        this.repositorySource = repositorySource;
        this.cache = cache;
    }

    /**
     * Each sourced model's location, by model name.
     *
     * @param sections a configuration file about to apply, or {@code null} for the one in force
     */
    Map<String, String> locations(Map<String, ServingProperties.Model> sections) {
        Map<String, String> models = new TreeMap<>();
        if (repositorySource != null) {
            repositoryModels().forEach(name -> models.put(name, repositorySource + "/" + name));
        }
        manager.configuredSources(sections).forEach((name, location) -> {
            if (ModelRepository.isValidModelName(name)) {
                models.put(name, location);
            } else {
                log.error("serving.models.{}.source: '{}' is not a valid model name; not synced", name, name);
            }
        });
        return models;
    }

    /**
     * Checks that a source serves every configured location.
     *
     * @param sections a configuration file about to apply, or {@code null} for the one in force
     * @throws IllegalArgumentException naming the setting whose scheme no source serves, and the schemes served
     */
    void check(Map<String, ServingProperties.Model> sections) {
        if (repositorySource != null) {
            locations.check("serving.repository.source", repositorySource);
        }
        String prefix = sections == null ? "serving.models." : "models.";
        manager.configuredSources(sections)
                .forEach((name, location) -> locations.check(prefix + name + ".source", location));
    }

    /** The models below the repository source, as it lists them now, else as last listed, else as cached. */
    private Set<String> repositoryModels() {
        try {
            Set<String> names = new TreeSet<>();
            for (String name : locations.models(repositorySource)) {
                if (ModelRepository.isValidModelName(name)) {
                    names.add(name);
                } else {
                    log.warn("{} holds '{}', which is not a valid model name; skipped", repositorySource, name);
                }
            }
            repositoryModels = Set.copyOf(names);
        } catch (SourceException e) {
            if (repositoryModels.isEmpty()) {
                repositoryModels = cache.modelsBelow(repositorySource);
            }
            log.warn(
                    "Cannot list the models at {} ({}): {}; using {}",
                    repositorySource,
                    e.reason().tag(),
                    e.getMessage(),
                    repositoryModels);
        }
        return repositoryModels;
    }
}
