package dev.onnxserving.runtime;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * ONNX Runtime session settings, {@code serving.onnx.*}, applied to every session this process creates.
 *
 * @param intraOpThreads threads one operator may use; 0 means the CPUs this JVM may use (the container's limit)
 * @param interOpThreads threads for running independent operators in parallel; 1 keeps execution sequential
 * @param optimizationLevel graph optimisations: none, basic, extended or all
 */
@Validated
@ConfigurationProperties("serving.onnx")
public record OnnxProperties(
        @DefaultValue("0") @Min(0) @Max(1024) int intraOpThreads,
        @DefaultValue("1") @Min(1) @Max(1024) int interOpThreads,
        @DefaultValue("all") OptimizationLevel optimizationLevel) {

    /** How much ONNX Runtime rewrites the graph before running it. */
    public enum OptimizationLevel {
        NONE,
        BASIC,
        EXTENDED,
        ALL
    }

    /** The intra-op thread count to configure: the setting, or the CPUs available to this JVM when it is 0. */
    public int effectiveIntraOpThreads() {
        return intraOpThreads > 0 ? intraOpThreads : Runtime.getRuntime().availableProcessors();
    }
}
