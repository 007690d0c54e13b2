package dev.onnxserving.deployment;

import dev.onnxserving.pipeline.InvalidInputException;
import dev.onnxserving.registry.Routing;
import dev.onnxserving.repository.VersionNumbers;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which versions of a model serve and how requests reach them: the version policy and the routing, with where they
 * came from.
 *
 * @param policy which versions on disk are loaded
 * @param routing how requests are spread over the loaded versions
 * @param source {@code configuration} (properties and the configuration file) or {@code api} (the management API)
 */
public record Deployment(VersionPolicy policy, Routing routing, String source) {

    public static final String FROM_CONFIGURATION = "configuration";
    public static final String FROM_API = "api";

    /**
     * The deployment that configuration settings describe.
     *
     * @throws InvalidInputException naming the setting that is wrong, what was expected and what came
     */
    public static Deployment of(ModelsProperties.Model settings) {
        ModelsProperties.Model model = settings == null ? ModelsProperties.NO_SETTINGS : settings;
        VersionPolicy policy;
        try {
            policy = VersionPolicy.parse(model.versions());
        } catch (IllegalArgumentException e) {
            throw InvalidInputException.at("/versions", e.getMessage().replaceFirst("^versions: ", ""));
        }
        Routing.Shadow shadow = null;
        if (model.shadow() != null) {
            if (model.shadow().version() == null) {
                throw InvalidInputException.at("/shadow/version", "expected a version number, got nothing");
            }
            shadow = new Routing.Shadow(
                    model.shadow().version(),
                    model.shadow().fraction() == null ? 1.0 : model.shadow().fraction());
        }
        Routing routing = new Routing(
                model.defaultVersion(), weights(model.weights()), model.stickyHeader(), model.labels(), shadow);
        return new Deployment(policy, routing, FROM_CONFIGURATION);
    }

    private static Map<Long, Integer> weights(Map<String, Integer> weights) {
        Map<Long, Integer> result = new LinkedHashMap<>();
        if (weights != null) {
            weights.forEach((version, weight) -> {
                if (!VersionNumbers.isValid(version)) {
                    throw InvalidInputException.at(
                            "/weights", "expected version numbers as keys, got '" + version + "'");
                }
                result.put(Long.parseLong(version), weight);
            });
        }
        return result;
    }
}
