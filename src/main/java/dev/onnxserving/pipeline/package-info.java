/**
 * The inference pipeline's own types: tensors, signatures, processors, and the serving errors with their one
 * {@link dev.onnxserving.pipeline.ErrorKind} each.
 */
package dev.onnxserving.pipeline;
