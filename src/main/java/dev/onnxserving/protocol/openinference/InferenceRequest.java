package dev.onnxserving.protocol.openinference;

import dev.onnxserving.pipeline.Tensors;
import java.util.List;
import java.util.Map;

/**
 * One parsed {@code infer} request, its tensors decoded and checked against their own shapes and datatypes (not yet
 * against the model).
 *
 * @param id the client's request id, echoed in the response; {@code null} when none was sent
 * @param parameters the request's {@code parameters}: strings, numbers and booleans by name
 * @param inputs the input tensors, in request order
 * @param outputs the outputs asked for, in request order; empty for every output
 * @param binaryDataOutput whether outputs that do not say otherwise are returned as binary data
 */
public record InferenceRequest(
        String id,
        Map<String, Object> parameters,
        Tensors inputs,
        List<RequestedOutput> outputs,
        boolean binaryDataOutput) {

    /**
     * @param name the output's name
     * @param binaryData its {@code binary_data} parameter, or {@code null} when not given
     */
    public record RequestedOutput(String name, Boolean binaryData) {}

    public InferenceRequest {
        parameters = Map.copyOf(parameters);
        outputs = List.copyOf(outputs);
    }

    public List<String> outputNames() {
        return outputs.stream().map(RequestedOutput::name).toList();
    }

    /** Whether {@code output} goes back as binary data: its own {@code binary_data}, else the request's default. */
    public boolean binary(String output) {
        for (RequestedOutput requested : outputs) {
            if (requested.name().equals(output) && requested.binaryData() != null) {
                return requested.binaryData();
            }
        }
        return binaryDataOutput;
    }
}
