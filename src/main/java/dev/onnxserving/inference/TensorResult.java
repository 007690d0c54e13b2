package dev.onnxserving.inference;

import dev.onnxserving.pipeline.ModelSignature;
import dev.onnxserving.pipeline.Tensors;

/**
 * The answer to one raw tensor request (the v2 protocol's infer).
 *
 * @param model the model that served
 * @param version the version that served
 * @param signature that version's signature
 * @param outputs the outputs asked for, in the order asked
 */
public record TensorResult(String model, long version, ModelSignature signature, Tensors outputs) {}
