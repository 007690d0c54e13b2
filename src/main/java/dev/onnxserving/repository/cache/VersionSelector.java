package dev.onnxserving.repository.cache;

import dev.onnxserving.repository.ModelSettings;
import java.util.SortedSet;

/** Which of the version numbers a source lists the model's deployment selects. */
@FunctionalInterface
public interface VersionSelector {

    /**
     * @param defaults what the model's {@code model.yaml} (as fetched) proposes for its deployment
     * @param listed the numbers the source lists
     */
    SortedSet<Long> select(ModelSettings.DeploymentDefaults defaults, SortedSet<Long> listed);
}
