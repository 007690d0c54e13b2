package dev.onnxserving.web;

import dev.onnxserving.inference.InferenceService;
import dev.onnxserving.inference.Prediction;
import dev.onnxserving.pipeline.InvalidInputException;
import dev.onnxserving.pipeline.RequestParameters;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.BinaryNode;

/**
 * The application API for uploads: {@code multipart/form-data} on the same paths as JSON. Every file part (a part
 * with a file name) is one instance, in the order sent, handed to the model's preprocessor as the file's bytes (the
 * {@code image} preprocessor reads PNG or JPEG, the {@code text} preprocessor UTF-8 text). An optional text part
 * {@code parameters} holds the request parameters as a JSON object. Answers as the JSON API does.
 */
@RestController
class MultipartPredictController {

    static final String PARAMETERS_PART = "parameters";

    private final InferenceService inference;
    private final JsonMapper json;

    MultipartPredictController(InferenceService inference, JsonMapper json) {
        this.inference = inference;
        this.json = json;
    }

    @PostMapping(
            path = "/predict",
            consumes = MediaType.MULTIPART_FORM_DATA_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<PredictResponse> predictDefault(HttpServletRequest request) {
        return predict(null, null, request);
    }

    @PostMapping(
            path = "/models/{model}/predict",
            consumes = MediaType.MULTIPART_FORM_DATA_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<PredictResponse> predictModel(@PathVariable String model, HttpServletRequest request) {
        return predict(model, null, request);
    }

    @PostMapping(
            path = "/models/{model}/versions/{version}/predict",
            consumes = MediaType.MULTIPART_FORM_DATA_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<PredictResponse> predictVersion(
            @PathVariable String model, @PathVariable String version, HttpServletRequest request) {
        return predict(model, PathVersions.parse(model, version), request);
    }

    private ResponseEntity<PredictResponse> predict(String model, Long version, HttpServletRequest request) {
        List<JsonNode> instances = new ArrayList<>();
        RequestParameters parameters = RequestParameters.none();
        for (Part part : parts(request)) {
            if (part.getSubmittedFileName() != null) {
                instances.add(BinaryNode.valueOf(read(part)));
            } else if (part.getName().equals(PARAMETERS_PART)) {
                parameters = RequestParameters.of(parseParameters(part));
            } else {
                throw InvalidInputException.at(
                        "/" + part.getName(),
                        "unknown form field '" + part.getName() + "'; expected file parts (one instance each) and"
                                + " optionally a '" + PARAMETERS_PART + "' field holding a JSON object");
            }
        }
        if (instances.isEmpty()) {
            throw InvalidInputException.at(
                    "/instances", "expected at least one file part (curl -F 'file=@image.png'), got none");
        }
        Prediction prediction = inference.predict(model, version, instances, parameters);
        String servedVersion = Long.toString(prediction.version());
        return ResponseEntity.ok()
                .header(PredictController.MODEL_NAME_HEADER, prediction.model())
                .header(PredictController.MODEL_VERSION_HEADER, servedVersion)
                .body(new PredictResponse(prediction.model(), servedVersion, prediction.predictions()));
    }

    private static Iterable<Part> parts(HttpServletRequest request) {
        try {
            return request.getParts();
        } catch (IOException | ServletException | IllegalStateException e) {
            throw new MultipartException("the multipart/form-data body cannot be parsed", e);
        }
    }

    private static byte[] read(Part part) {
        try (InputStream input = part.getInputStream()) {
            return input.readAllBytes();
        } catch (IOException e) {
            throw new MultipartException("file part '" + part.getName() + "' cannot be read", e);
        }
    }

    private JsonNode parseParameters(Part part) {
        try (InputStream input = part.getInputStream()) {
            return json.readTree(input);
        } catch (JacksonException e) {
            throw InvalidInputException.at(
                    "/" + PARAMETERS_PART, "expected a JSON object, got malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new MultipartException("form field '" + PARAMETERS_PART + "' cannot be read", e);
        }
    }
}
