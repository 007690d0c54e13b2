package dev.onnxserving.web;

import dev.onnxserving.pipeline.InvalidInputException;
import dev.onnxserving.pipeline.RequestParameters;
import dev.onnxserving.protocol.JsonProblems;
import dev.onnxserving.protocol.PredictRequest;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.springframework.web.multipart.MultipartException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.BinaryNode;

/**
 * Reads a {@code multipart/form-data} predict request: every file part (a part with a file name) is one instance, in
 * the order sent, handed to the model's preprocessor as the file's bytes (the {@code image} preprocessor reads PNG or
 * JPEG, the {@code text} preprocessor UTF-8 text); an optional text part {@code parameters} holds the request
 * parameters as a JSON object.
 */
final class Uploads {

    static final String PARAMETERS_PART = "parameters";

    private Uploads() {}

    /** @throws InvalidInputException for an unknown field, no file part, or parameters that are not a JSON object */
    static PredictRequest read(HttpServletRequest request, JsonMapper json) {
        List<JsonNode> instances = new ArrayList<>();
        RequestParameters parameters = RequestParameters.none();
        for (Part part : parts(request)) {
            if (part.getSubmittedFileName() != null) {
                instances.add(BinaryNode.valueOf(read(part)));
            } else if (part.getName().equals(PARAMETERS_PART)) {
                parameters = RequestParameters.of(parseParameters(part, json));
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
        return new PredictRequest(instances, parameters);
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

    private static JsonNode parseParameters(Part part, JsonMapper json) {
        try (InputStream input = part.getInputStream()) {
            return json.readTree(input);
        } catch (JacksonException e) {
            throw InvalidInputException.at(
                    "/" + PARAMETERS_PART,
                    "expected a JSON object, got " + JsonProblems.translate(e).getMessage());
        } catch (IOException e) {
            throw new MultipartException("form field '" + PARAMETERS_PART + "' cannot be read", e);
        }
    }
}
