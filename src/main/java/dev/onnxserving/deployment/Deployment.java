package dev.onnxserving.deployment;

import dev.onnxserving.pipeline.InvalidInputException;
import dev.onnxserving.registry.Routing;
import dev.onnxserving.repository.VersionNumbers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which versions of a model serve and how requests reach them: the version policy and the routing, with where they
 * came from.
 *
 * @param policy which versions on disk are loaded
 * @param routing how requests are spread over the loaded versions
 * @param source {@code configuration} (model.yaml, properties and the configuration file) or {@code api} (the
 *     management API)
 */
public record Deployment(VersionPolicy policy, Routing routing, String source) {

    public static final String FROM_CONFIGURATION = "configuration";
    public static final String FROM_API = "api";

    /** How the settings are called where they were written, for messages naming both sides of a conflict. */
    public record SettingNames(String versions, String defaultVersion, String weights, String labels, String shadow) {

        /** Property names under {@code prefix}, e.g. {@code serving.models.iris}. */
        public static SettingNames under(String prefix) {
            return new SettingNames(
                    prefix + ".versions",
                    prefix + ".default-version",
                    prefix + ".weights",
                    prefix + ".labels",
                    prefix + ".shadow.version");
        }

        /** The fields of a {@code PUT /admin/models/{model}/routing} body. */
        public static final SettingNames API =
                new SettingNames("/versions", "/default", "/weights", "/labels", "/shadow/version");
    }

    /**
     * The deployment that configuration settings describe.
     *
     * @throws InvalidInputException naming the setting that is wrong, what was expected and what came
     * @throws DeploymentConflictException when the routing names a version the policy never serves
     */
    public static Deployment of(ServingProperties.Model settings, SettingNames names) {
        ServingProperties.Model model = settings == null ? ServingProperties.NO_SETTINGS : settings;
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
        return new Deployment(policy, routing, FROM_CONFIGURATION).requireConsistent(names);
    }

    /**
     * This deployment, when its routing sends requests only to versions its policy can serve.
     *
     * @throws DeploymentConflictException naming the routing setting and the policy setting that contradict each other
     */
    public Deployment requireConsistent(SettingNames names) {
        List<String> conflicts = new ArrayList<>();
        Long defaultVersion = routing.defaultVersion();
        if (defaultVersion != null && policy.excludes(defaultVersion)) {
            conflicts.add(names.defaultVersion() + ": " + defaultVersion);
        }
        routing.weights().forEach((version, weight) -> {
            if (weight > 0 && policy.excludes(version)) {
                conflicts.add(names.weights() + " " + version + ": " + weight);
            }
        });
        routing.labels().forEach((label, version) -> {
            if (policy.excludes(version)) {
                conflicts.add(names.labels() + " " + label + ": " + version);
            }
        });
        if (routing.shadow() != null && policy.excludes(routing.shadow().version())) {
            conflicts.add(names.shadow() + ": " + routing.shadow().version());
        }
        if (!conflicts.isEmpty()) {
            throw new DeploymentConflictException(String.join(", ", conflicts)
                    + (conflicts.size() == 1 ? " is a version that " : " are versions that ")
                    + names.versions() + ": " + policy + " never serves; serve it there too, or route to one of "
                    + policy);
        }
        return this;
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
