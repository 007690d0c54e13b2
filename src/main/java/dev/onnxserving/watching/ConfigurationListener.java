package dev.onnxserving.watching;

import dev.onnxserving.deployment.ServingProperties;
import java.util.Map;

/** Told about a changed configuration file around its application. */
interface ConfigurationListener {

    ConfigurationListener NONE = new ConfigurationListener() {
        @Override
        public void beforeApply(Map<String, ServingProperties.Model> sections) {}

        @Override
        public void afterApply() {}
    };

    /**
     * Before the file's sections apply.
     *
     * @throws dev.onnxserving.pipeline.InvalidInputException when the sections cannot apply; nothing is applied then
     */
    void beforeApply(Map<String, ServingProperties.Model> sections);

    /** After the file's sections applied. */
    void afterApply();
}
