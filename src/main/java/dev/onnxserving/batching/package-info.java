/** Admission control for every model version, and dynamic batching of concurrent requests where a model allows it. */
package dev.onnxserving.batching;
