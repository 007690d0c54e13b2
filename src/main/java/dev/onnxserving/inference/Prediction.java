package dev.onnxserving.inference;

import java.util.List;

/**
 * The answer to one {@code /predict} request.
 *
 * @param model the model that served
 * @param version the version that served
 * @param predictions one per instance, in order
 */
public record Prediction(String model, long version, List<?> predictions) {}
