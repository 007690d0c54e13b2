package dev.onnxserving.kafka;

import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.ConfigurationPropertyState;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Matches when configuration names at least one {@code serving.kafka.bindings.<name>}. */
class OnKafkaBindings implements Condition {

    private static final ConfigurationPropertyName BINDINGS = ConfigurationPropertyName.of("serving.kafka.bindings");

    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
        for (var source : ConfigurationPropertySources.get(context.getEnvironment())) {
            if (source.containsDescendantOf(BINDINGS) == ConfigurationPropertyState.PRESENT) {
                return true;
            }
        }
        return false;
    }
}
