package dev.onnxserving.web;

import dev.onnxserving.inference.InferenceService;
import dev.onnxserving.inference.Prediction;
import dev.onnxserving.inference.RequestDeadlines;
import dev.onnxserving.pipeline.Deadline;
import dev.onnxserving.protocol.PredictRequest;
import dev.onnxserving.protocol.PredictResponse;
import dev.onnxserving.registry.VersionChoice;
import dev.onnxserving.web.openapi.Operations;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The application API: domain JSON (or uploaded files) in, domain JSON out, through the model's whole pipeline.
 * Which version serves: the one named in the path, the one a label points to, or the one the model's routing picks.
 */
@RestController
@Tag(
        name = Operations.PREDICT_TAG,
        description = "Domain JSON or files in, domain JSON out, through a model's processors.")
class PredictController {

    static final String MODEL_NAME_HEADER = "Model-Name";
    static final String MODEL_VERSION_HEADER = "Model-Version";

    private static final String DEFAULT_MODEL = "/predict";
    private static final String MODEL = "/models/{model}/predict";
    private static final String VERSION = "/models/{model}/versions/{version}/predict";
    private static final String LABEL = "/models/{model}/labels/{label}/predict";

    private final InferenceService inference;
    private final RequestDeadlines deadlines;
    private final JsonMapper json;

    PredictController(InferenceService inference, RequestDeadlines deadlines, JsonMapper json) {
        this.inference = inference;
        this.deadlines = deadlines;
        this.json = json;
    }

    @Operations.Predict
    @PostMapping(
            path = {DEFAULT_MODEL, MODEL, VERSION, LABEL},
            consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<PredictResponse> predictJson(
            @PathVariable(required = false) String model,
            @PathVariable(required = false) String version,
            @PathVariable(required = false) String label,
            @RequestBody JsonNode body,
            HttpServletRequest http) {
        return predict(model, choice(model, version, label, http), PredictRequest.from(body), http);
    }

    /** Every file part is one instance, in order; an optional {@code parameters} field holds the parameters. */
    @Operations.Predict
    @PostMapping(
            path = {DEFAULT_MODEL, MODEL, VERSION, LABEL},
            consumes = MediaType.MULTIPART_FORM_DATA_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<PredictResponse> predictUpload(
            @PathVariable(required = false) String model,
            @PathVariable(required = false) String version,
            @PathVariable(required = false) String label,
            HttpServletRequest http) {
        return predict(model, choice(model, version, label, http), Uploads.read(http, json), http);
    }

    private static VersionChoice choice(String model, String version, String label, HttpServletRequest http) {
        if (version != null) {
            return VersionChoice.exact(PathVersions.parse(model, version));
        }
        if (label != null) {
            return VersionChoice.label(label);
        }
        return VersionChoice.routed(http::getHeader);
    }

    private ResponseEntity<PredictResponse> predict(
            String model, VersionChoice choice, PredictRequest request, HttpServletRequest http) {
        Deadline deadline = deadlines.start(RequestTimeoutHeader.parse(http.getHeader(RequestTimeoutHeader.NAME)));
        Prediction prediction = inference.predict(model, choice, request.instances(), request.parameters(), deadline);
        String servedVersion = Long.toString(prediction.version());
        return ResponseEntity.ok()
                .header(MODEL_NAME_HEADER, prediction.model())
                .header(MODEL_VERSION_HEADER, servedVersion)
                .body(new PredictResponse(prediction.model(), servedVersion, prediction.predictions()));
    }
}
