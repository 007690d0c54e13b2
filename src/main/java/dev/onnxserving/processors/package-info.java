/** Built-in preprocessors and postprocessors that turn domain JSON into tensors and tensors into predictions. */
package dev.onnxserving.processors;
