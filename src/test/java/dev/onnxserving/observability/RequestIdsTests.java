package dev.onnxserving.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class RequestIdsTests {

    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @ParameterizedTest
    @ValueSource(
            strings = {
                "abc-123",
                "f47ac10b-58cc-4372-a567-0e02b2c3d479",
                "01HZX3K6Q8V1N2M3P4R5S6T7U8",
                "req:42/retry=1",
                "Root.1-5f84c7a1+ab@edge"
            })
    void takesACallersSafeRequestIdVerbatim(String id) {
        assertThat(RequestIds.resolve(id, TRACEPARENT)).isEqualTo(id);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"has space", "quote\"d", "new\nline", "tab\tbed", "{json}", "ünïcode", "semi;colon"})
    void ignoresAnUnsafeRequestIdAndFallsBackToTheTraceId(String id) {
        assertThat(RequestIds.resolve(id, TRACEPARENT)).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    }

    @Test
    void ignoresARequestIdLongerThan128Characters() {
        assertThat(RequestIds.resolve("a".repeat(128), null)).isEqualTo("a".repeat(128));
        assertThat(RequestIds.resolve("a".repeat(129), TRACEPARENT)).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    }

    @Test
    void acceptsAFutureTraceparentVersionWithMoreFields() {
        assertThat(RequestIds.traceIdOf("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-comes-next"))
                .hasValue("4bf92f3577b34da6a3ce929d0e0e4736");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", // version ff is invalid
                "00-00000000000000000000000000000000-00f067aa0ba902b7-01", // all-zero trace id
                "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", // all-zero parent id
                "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01", // upper case
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra", // version 00 has four fields
                "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01", // trace id one digit short
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7", // no flags
                "garbage"
            })
    void generatesAnIdWhenTheTraceparentIsInvalid(String traceparent) {
        assertThat(RequestIds.traceIdOf(traceparent)).isEmpty();
        String id = RequestIds.resolve(null, traceparent);
        assertThat(id).matches("[0-9a-f]{32}").isNotEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    }

    @Test
    void generatedIdsAreTraceIdShapedAndDistinct() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            ids.add(RequestIds.generate());
        }
        assertThat(ids).hasSize(10_000).allMatch(id -> id.matches("[0-9a-f]{32}"));
    }
}
