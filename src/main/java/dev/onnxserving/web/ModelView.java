package dev.onnxserving.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.onnxserving.pipeline.ModelSignature;
import dev.onnxserving.pipeline.TensorSpec;
import dev.onnxserving.registry.ModelOrigin;
import dev.onnxserving.registry.ModelStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** How {@code GET /models} shows one model. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelView(
        String name,
        String description,
        boolean ready,
        @JsonProperty("default_version") String defaultVersion,
        @JsonProperty("version_policy") String versionPolicy,
        String preprocessor,
        String postprocessor,
        List<VersionView> versions,
        @JsonProperty("refused_configuration") String refusedConfiguration,
        SourceView source) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record VersionView(
            String version,
            String state,
            String reason,
            Instant since,
            SignatureView signature,
            String source,
            String digest) {}

    /** Where a sourced model comes from and how its last sync went; never a credential. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record SourceView(
            String location, @JsonProperty("last_sync") Instant lastSync, String failure) {
        static SourceView of(ModelOrigin origin) {
            return new SourceView(
                    origin.location(),
                    origin.lastSync().orElse(null),
                    origin.failure().orElse(null));
        }
    }

    record SignatureView(List<TensorView> inputs, List<TensorView> outputs, Map<String, String> metadata) {
        static SignatureView of(ModelSignature signature) {
            return new SignatureView(
                    signature.inputs().stream().map(TensorView::of).toList(),
                    signature.outputs().stream().map(TensorView::of).toList(),
                    signature.metadata());
        }
    }

    record TensorView(String name, String datatype, long[] shape) {
        static TensorView of(TensorSpec spec) {
            return new TensorView(
                    spec.name(), spec.isTensor() ? spec.type().protocolName() : spec.description(), spec.shape());
        }
    }

    public static ModelView of(ModelStatus status) {
        Map<Long, ModelOrigin.CachedVersion> cached =
                status.origin().map(ModelOrigin::versions).orElse(Map.of());
        return new ModelView(
                status.name(),
                status.description().isEmpty() ? null : status.description(),
                status.isReady(),
                status.defaultVersion().map(String::valueOf).orElse(null),
                status.policy(),
                status.preprocessor(),
                status.postprocessor(),
                status.versions().stream()
                        .map(version -> new VersionView(
                                Long.toString(version.version()),
                                version.state().name(),
                                version.reason().isEmpty() ? null : version.reason(),
                                version.since(),
                                version.signature().map(SignatureView::of).orElse(null),
                                cachedField(cached, version.version(), ModelOrigin.CachedVersion::location),
                                cachedField(cached, version.version(), ModelOrigin.CachedVersion::digest)))
                        .toList(),
                status.refusedConfiguration().orElse(null),
                status.origin().map(SourceView::of).orElse(null));
    }

    private static String cachedField(
            Map<Long, ModelOrigin.CachedVersion> cached,
            long version,
            java.util.function.Function<ModelOrigin.CachedVersion, String> field) {
        ModelOrigin.CachedVersion origin = cached.get(version);
        return origin == null ? null : field.apply(origin);
    }
}
