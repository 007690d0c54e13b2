package dev.onnxserving.web.openapi;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one loaded model version accepts and returns, on both APIs, as JSON Schemas.
 *
 * @param model the model's name
 * @param version the version described
 * @param preprocessor the preprocessor's name
 * @param postprocessor the postprocessor's name
 * @param signature the inputs and outputs in one line, e.g. {@code inputs input FP32 [-1,4]; outputs label INT64 [-1]}
 * @param inferRequest the body of {@code POST /v2/models/{model}/infer}: its inputs by name, datatype and shape
 * @param inferResponse that request's answer: its outputs by name, datatype and shape
 * @param inferExample a request that works: every input in a concrete shape, filled with zeros; empty when an
 *     input would take more than {@link ModelSchemas#MAX_EXAMPLE_ELEMENTS} elements
 * @param predictRequest the body of {@code POST /models/{model}/predict}, instances as the preprocessor takes them
 * @param predictResponse its answer, predictions as the postprocessor gives them
 */
record ModelSchema(
        String model,
        String version,
        String preprocessor,
        String postprocessor,
        String signature,
        Map<String, Object> inferRequest,
        Map<String, Object> inferResponse,
        Map<String, Object> inferExample,
        Map<String, Object> predictRequest,
        Map<String, Object> predictResponse) {

    /** The document {@code GET /models/{model}/schema} answers. */
    Map<String, Object> document() {
        Map<String, Object> v2 = new LinkedHashMap<>();
        v2.put("path", "/v2/models/" + model + "/versions/" + version + "/infer");
        v2.put("request", inferRequest);
        v2.put("response", inferResponse);
        v2.put("example", inferExample);
        Map<String, Object> predict = new LinkedHashMap<>();
        predict.put("path", "/models/" + model + "/versions/" + version + "/predict");
        predict.put("request", predictRequest);
        predict.put("response", predictResponse);
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("model", model);
        document.put("version", version);
        document.put("preprocessor", preprocessor);
        document.put("postprocessor", postprocessor);
        document.put("signature", signature);
        document.put("v2", v2);
        document.put("predict", predict);
        return document;
    }
}
