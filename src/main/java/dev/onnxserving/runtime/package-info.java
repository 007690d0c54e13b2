/** ONNX Runtime behind {@code InferenceSession}: the only package that imports {@code ai.onnxruntime}. */
package dev.onnxserving.runtime;
