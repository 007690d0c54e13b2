package dev.onnxserving.web;

import dev.onnxserving.inference.InferenceService;
import dev.onnxserving.inference.Prediction;
import dev.onnxserving.inference.RequestDeadlines;
import dev.onnxserving.model.VersionChoice;
import dev.onnxserving.pipeline.Deadline;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** The application API: domain JSON in, domain JSON out, through the model's whole pipeline. */
@RestController
class PredictController {

    static final String MODEL_NAME_HEADER = "Model-Name";
    static final String MODEL_VERSION_HEADER = "Model-Version";

    private final InferenceService inference;
    private final RequestDeadlines deadlines;

    PredictController(InferenceService inference, RequestDeadlines deadlines) {
        this.inference = inference;
        this.deadlines = deadlines;
    }

    @PostMapping(
            path = "/predict",
            consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<PredictResponse> predictDefault(@RequestBody JsonNode body, HttpServletRequest request) {
        return predict(null, VersionChoice.routed(request::getHeader), body, request);
    }

    @PostMapping(
            path = "/models/{model}/predict",
            consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<PredictResponse> predictModel(
            @PathVariable String model, @RequestBody JsonNode body, HttpServletRequest request) {
        return predict(model, VersionChoice.routed(request::getHeader), body, request);
    }

    @PostMapping(
            path = "/models/{model}/labels/{label}/predict",
            consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<PredictResponse> predictLabel(
            @PathVariable String model,
            @PathVariable String label,
            @RequestBody JsonNode body,
            HttpServletRequest request) {
        return predict(model, VersionChoice.label(label), body, request);
    }

    @PostMapping(
            path = "/models/{model}/versions/{version}/predict",
            consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<PredictResponse> predictVersion(
            @PathVariable String model,
            @PathVariable String version,
            @RequestBody JsonNode body,
            HttpServletRequest request) {
        return predict(model, VersionChoice.exact(PathVersions.parse(model, version)), body, request);
    }

    private ResponseEntity<PredictResponse> predict(
            String model, VersionChoice choice, JsonNode body, HttpServletRequest http) {
        Deadline deadline = deadlines.start(RequestTimeoutHeader.parse(http.getHeader(RequestTimeoutHeader.NAME)));
        PredictRequest request = PredictRequest.from(body);
        Prediction prediction = inference.predict(model, choice, request.instances(), request.parameters(), deadline);
        String servedVersion = Long.toString(prediction.version());
        return ResponseEntity.ok()
                .header(MODEL_NAME_HEADER, prediction.model())
                .header(MODEL_VERSION_HEADER, servedVersion)
                .body(new PredictResponse(prediction.model(), servedVersion, prediction.predictions()));
    }
}
