package dev.onnxserving.deployment;

import dev.onnxserving.registry.LoadRecord;
import java.util.List;

/**
 * How one model's deployment stands, for the management API.
 *
 * @param source where the routing in force comes from: {@code configuration} or {@code api}
 * @param overrides versions loaded or unloaded through the management API
 * @param history the most recent load attempts, oldest first
 */
public record DeploymentState(String source, VersionOverrides overrides, List<LoadRecord> history) {}
