/** What should be loaded: deployment configuration (properties, the watched configuration file, the management API's overrides), and the manager that brings the registry in line with it. */
package dev.onnxserving.deployment;
