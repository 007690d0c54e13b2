package dev.onnxserving.web;

import java.util.List;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The application's {@link JsonMapper}: Spring Boot's customisations plus the {@code serving.limits} nesting depth
 * and string length, which Jackson only takes on the stream factory, and strict duplicate detection: an object
 * that names a key twice is refused, never read as the last one.
 */
@Configuration(proxyBeanMethods = false)
class JsonLimitsConfiguration {

    @Bean
    JsonMapper jsonMapper(WebLimitsProperties limits, List<JsonMapperBuilderCustomizer> customizers) {
        StreamReadConstraints constraints = StreamReadConstraints.builder()
                .maxNestingDepth(limits.maxJsonDepth())
                .maxStringLength(Math.toIntExact(
                        Math.min(Integer.MAX_VALUE, limits.maxStringLength().toBytes())))
                .build();
        JsonMapper.Builder builder = JsonMapper.builder(JsonFactory.builder()
                .streamReadConstraints(constraints)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build());
        customizers.forEach(customizer -> customizer.customize(builder));
        return builder.build();
    }
}
