package dev.onnxserving.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.otlp.OtlpTracingAutoConfiguration;
import org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** OTLP export exists only once an endpoint is configured; the sampler is ours over Boot's probability. */
class TracingExportTests {

    private final ApplicationContextRunner tracing = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    OpenTelemetrySdkAutoConfiguration.class,
                    MicrometerTracingAutoConfiguration.class,
                    OpenTelemetryTracingAutoConfiguration.class,
                    OtlpTracingAutoConfiguration.class))
            .withUserConfiguration(TracingConfiguration.class);

    @Test
    void withoutAnEndpointNoSpanExporterExists() {
        tracing.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(SpanExporter.class);
        });
    }

    @Test
    void anEndpointTurnsOnOtlpOverHttp() {
        tracing.withPropertyValues(
                        "management.opentelemetry.tracing.export.otlp.endpoint=http://127.0.0.1:4318/v1/traces")
                .run(context -> {
                    assertThat(context).hasSingleBean(OtlpHttpSpanExporter.class);
                    assertThat(context).doesNotHaveBean(OtlpGrpcSpanExporter.class);
                });
    }

    @Test
    void theSamplerFollowsLinksAndUsesBootsProbabilityProperty() {
        tracing.withPropertyValues("management.tracing.sampling.probability=0.25")
                .run(context -> assertThat(context.getBean(Sampler.class).getDescription())
                        .isEqualTo("LinkFollowingSampler{ParentBased{root:TraceIdRatioBased{0.250000},"
                                + "remoteParentSampled:AlwaysOnSampler,remoteParentNotSampled:AlwaysOffSampler,"
                                + "localParentSampled:AlwaysOnSampler,localParentNotSampled:AlwaysOffSampler}}"));
    }
}
