/** The inference pipeline's own types: tensors, signatures, processors and the errors they raise. */
package dev.onnxserving.pipeline;
