/**
 * The Open Inference Protocol v2's infer messages, shared by the HTTP and Kafka adapters: requests read from JSON or
 * the binary tensor data extension, responses written from output tensors.
 */
package dev.onnxserving.protocol.openinference;
