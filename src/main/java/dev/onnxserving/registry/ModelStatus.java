package dev.onnxserving.registry;

import dev.onnxserving.pipeline.ModelSignature;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A snapshot of one model for listings and health: its versions and which one serves by default.
 *
 * @param name the model's name
 * @param description from {@code model.yaml}
 * @param preprocessor the preprocessor's name
 * @param postprocessor the postprocessor's name
 * @param policy the version policy in force, e.g. {@code latest} or {@code 1,3}
 * @param defaultVersion the version that serves requests naming none, when one can
 * @param versions every version the policy selected, oldest first
 * @param routing how requests naming no version, or a label, reach the versions
 * @param refusedConfiguration why the last change of the model's deployment was refused (the routing before it
 *     stays in force), when it was
 * @param origin where the model is synced from, when it comes from a source
 */
public record ModelStatus(
        String name,
        String description,
        String preprocessor,
        String postprocessor,
        String policy,
        Optional<Long> defaultVersion,
        List<VersionStatus> versions,
        Routing routing,
        Optional<String> refusedConfiguration,
        Optional<ModelOrigin> origin) {

    /**
     * @param version the version number
     * @param state where it is in its life
     * @param reason why it failed, or what it is waiting for; empty when READY
     * @param since when it entered this state
     * @param signature its inputs and outputs, once loaded
     */
    public record VersionStatus(
            long version, ModelState state, String reason, Instant since, Optional<ModelSignature> signature) {}

    /** Whether requests naming no version can be served now. */
    public boolean isReady() {
        return defaultVersion.isPresent();
    }

    public Optional<ModelSignature> defaultSignature() {
        return defaultVersion.flatMap(number -> versions.stream()
                .filter(status -> status.version() == number)
                .findFirst()
                .flatMap(VersionStatus::signature));
    }
}
