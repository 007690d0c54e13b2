package dev.onnxserving.management;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.onnxserving.deployment.DeploymentState;
import dev.onnxserving.registry.LoadRecord;
import dev.onnxserving.registry.ModelStatus;
import dev.onnxserving.registry.Routing;
import dev.onnxserving.web.ModelView;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * How the management API shows one model: everything {@code GET /models} shows, plus the routing in force, its
 * source, the operators' overrides and recent loads.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record AdminModelView(
        @JsonUnwrapped ModelView model,
        RoutingView routing,
        @JsonProperty("routing_source") String routingSource,
        OverridesView overrides,
        @JsonProperty("load_history") List<LoadView> loadHistory) {

    /** The same shape as the {@code PUT .../routing} body. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    record RoutingView(
            @JsonProperty("default") String defaultVersion,
            Map<String, Integer> weights,
            @JsonProperty("sticky-header") String stickyHeader,
            Map<String, String> labels,
            ShadowView shadow) {

        static RoutingView of(Routing routing) {
            Map<String, Integer> weights = new LinkedHashMap<>();
            routing.weights().forEach((version, weight) -> weights.put(Long.toString(version), weight));
            Map<String, String> labels = new LinkedHashMap<>();
            routing.labels().forEach((label, version) -> labels.put(label, Long.toString(version)));
            return new RoutingView(
                    routing.defaultVersion() == null ? null : Long.toString(routing.defaultVersion()),
                    weights,
                    routing.stickyHeader(),
                    labels,
                    routing.shadow() == null
                            ? null
                            : new ShadowView(
                                    Long.toString(routing.shadow().version()),
                                    routing.shadow().fraction()));
        }
    }

    record ShadowView(String version, double fraction) {}

    /**
     * @param unloaded the whole model was unloaded through the API
     * @param loaded versions loaded through the API in addition to the policy
     * @param excluded versions unloaded through the API
     */
    record OverridesView(boolean unloaded, List<String> loaded, List<String> excluded) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record LoadView(
            String version,
            Instant at,
            String outcome,
            @JsonProperty("duration_ms") long durationMs,
            String failure,
            String reason) {

        static LoadView of(LoadRecord record) {
            return new LoadView(
                    Long.toString(record.version()),
                    record.at(),
                    record.succeeded() ? "READY" : "FAILED",
                    record.duration().toMillis(),
                    record.failure() == null ? null : record.failure().tag(),
                    record.reason().isEmpty() ? null : record.reason());
        }
    }

    static AdminModelView of(ModelStatus status, DeploymentState deployment) {
        return new AdminModelView(
                ModelView.of(status),
                RoutingView.of(status.routing()),
                deployment == null ? null : deployment.source(),
                deployment == null
                        ? null
                        : new OverridesView(
                                deployment.overrides().unloaded(),
                                new TreeSet<>(deployment.overrides().pinned())
                                        .stream().map(String::valueOf).toList(),
                                new TreeSet<>(deployment.overrides().excluded())
                                        .stream().map(String::valueOf).toList()),
                deployment == null
                        ? List.of()
                        : deployment.history().stream().map(LoadView::of).toList());
    }
}
