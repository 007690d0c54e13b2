package dev.onnxserving.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** The application's JSON mapper, built without a web server: the request limits plus Spring Boot's customisers. */
class JsonLimitsConfigurationTests {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(WebLimitsProperties.class)
    static class Limits {}

    private final ApplicationContextRunner context =
            new ApplicationContextRunner().withUserConfiguration(Limits.class, JsonLimitsConfiguration.class);

    @Test
    void theMapperRefusesJsonNestedDeeperThanTheLimit() {
        context.withPropertyValues("serving.limits.max-json-depth=3").run(started -> {
            JsonMapper json = started.getBean(JsonMapper.class);

            assertThat(json.readTree("[[[1]]]").toString()).isEqualTo("[[[1]]]");
            assertThatThrownBy(() -> json.readTree("[[[[1]]]]"))
                    .isInstanceOf(StreamConstraintsException.class)
                    .hasMessageContaining("maximum allowed (3,");
        });
    }

    @Test
    void theMapperRefusesStringsLongerThanTheLimit() {
        context.withPropertyValues("serving.limits.max-string-length=8B").run(started -> {
            JsonMapper json = started.getBean(JsonMapper.class);

            assertThat(json.readTree("\"12345678\"").asString()).isEqualTo("12345678");
            assertThatThrownBy(() -> json.readTree("\"123456789\""))
                    .isInstanceOf(StreamConstraintsException.class)
                    .hasMessageContaining("maximum allowed (8,");
        });
    }

    @Test
    void theDefaultsAllowSixtyFourLevels() {
        context.run(started -> {
            JsonMapper json = started.getBean(JsonMapper.class);

            assertThat(json.readTree("[".repeat(64) + "]".repeat(64))).isNotNull();
            assertThatThrownBy(() -> json.readTree("[".repeat(65) + "]".repeat(65)))
                    .isInstanceOf(StreamConstraintsException.class);
        });
    }

    @Test
    void springBootsCustomisersStillApply() {
        context.withBean(
                        JsonMapperBuilderCustomizer.class,
                        () -> builder -> builder.enable(SerializationFeature.INDENT_OUTPUT))
                .run(started -> assertThat(started.getBean(JsonMapper.class).writeValueAsString(new int[] {1}))
                        .isEqualTo("[ 1 ]"));
    }

    @Test
    void aDepthOutsideTheAllowedRangeStopsTheStart() {
        context.withPropertyValues("serving.limits.max-json-depth=1")
                .run(started -> assertThat(started).hasFailed());
    }
}
