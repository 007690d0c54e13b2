package dev.onnxserving.protocol;

import java.util.List;

/**
 * A {@code /predict} answer.
 *
 * @param model the model that served
 * @param version the version that served, as a string
 * @param predictions one per instance, in order
 */
public record PredictResponse(String model, String version, List<?> predictions) {}
