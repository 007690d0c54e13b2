/** What is loaded: every model's versions and their states, failure reasons and load history, leases on them, and the routing that selects a version for a request. */
package dev.onnxserving.registry;
