package dev.onnxserving.deployment;

import dev.onnxserving.registry.LoadRecord;
import java.util.List;

/**
 * What the manager holds for one model besides the registry: the deployment in force, the operators' overrides and
 * the recent load attempts.
 *
 * @param deployment the version policy and routing in force
 * @param configured the deployment the configuration (properties and configuration file) describes
 * @param overrides versions loaded or unloaded through the management API
 * @param history the most recent load attempts, oldest first
 */
public record DeploymentState(
        Deployment deployment, Deployment configured, VersionOverrides overrides, List<LoadRecord> history) {}
