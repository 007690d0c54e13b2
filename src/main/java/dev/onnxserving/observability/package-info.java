/** Metrics, the models health indicator and other things operators look at. */
package dev.onnxserving.observability;
