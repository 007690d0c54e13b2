package dev.onnxserving.web.openinference;

import dev.onnxserving.deployment.ServingReadiness;
import dev.onnxserving.inference.InferenceService;
import dev.onnxserving.inference.RequestDeadlines;
import dev.onnxserving.inference.TensorResult;
import dev.onnxserving.pipeline.InvalidInputException;
import dev.onnxserving.pipeline.ModelNotFoundException;
import dev.onnxserving.pipeline.ModelNotReadyException;
import dev.onnxserving.pipeline.ModelSignature;
import dev.onnxserving.protocol.openinference.InferenceRequest;
import dev.onnxserving.protocol.openinference.InferenceRequestReader;
import dev.onnxserving.protocol.openinference.OpenInferenceHeaders;
import dev.onnxserving.protocol.openinference.RawBinaryRequest;
import dev.onnxserving.protocol.openinference.TimeoutParameter;
import dev.onnxserving.registry.ModelRegistry;
import dev.onnxserving.registry.ModelState;
import dev.onnxserving.registry.ModelStatus;
import dev.onnxserving.repository.VersionNumbers;
import dev.onnxserving.web.RequestTimeoutHeader;
import dev.onnxserving.web.openapi.Operations;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Open Inference Protocol v2 REST API: health, server and model metadata, readiness and {@code infer}, with the
 * binary tensor data extension. Infer runs the raw model (no processors) through {@link InferenceService}, so it
 * shares sessions, batching and metrics with {@code /predict}. Errors are {@code {"error": "..."}}, written by the
 * application's error handler.
 */
@RestController
@Tag(name = Operations.V2_TAG, description = "KServe's Open Inference Protocol v2: the raw model on typed tensors.")
class OpenInferenceController {

    static final String SERVER_NAME = "onnx-serving";
    static final String BINARY_TENSOR_DATA = "binary_tensor_data";

    private final InferenceService inference;
    private final RequestDeadlines deadlines;
    private final ModelRegistry registry;
    private final ServingReadiness readiness;
    private final InferenceRequestReader reader;
    private final InferResponses writer;
    private final ServerMetadata serverMetadata;

    OpenInferenceController(
            InferenceService inference,
            ModelRegistry registry,
            ServingReadiness readiness,
            JsonMapper mapper,
            ServerVersion version,
            ObjectProvider<ProtocolExtension> extensions,
            RequestDeadlines deadlines) {
        this.inference = inference;
        this.deadlines = deadlines;
        this.registry = registry;
        this.readiness = readiness;
        this.reader = new InferenceRequestReader(mapper);
        this.writer = new InferResponses(mapper);
        this.serverMetadata = new ServerMetadata(
                SERVER_NAME,
                version.version(),
                Stream.concat(
                                Stream.of(BINARY_TENSOR_DATA),
                                extensions.orderedStream().map(ProtocolExtension::name))
                        .toList());
    }

    @Operation(summary = "Liveness: the process is up, whatever the models.")
    @ApiResponse(
            responseCode = "200",
            description = "live",
            content = @Content(schema = @Schema(ref = Operations.SCHEMAS + "v2.Live")))
    @GetMapping(path = "/v2/health/live", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> live() {
        return Map.of("live", true);
    }

    @Operation(
            summary =
                    "Readiness: 200 when the service takes traffic (the rule of /actuator/health/readiness), else 503.")
    @ApiResponse(
            responseCode = "200",
            description = "ready",
            content = @Content(schema = @Schema(ref = Operations.SCHEMAS + "v2.Ready")))
    @ApiResponse(
            responseCode = "503",
            description = "not ready; see Retry-After",
            content = @Content(schema = @Schema(ref = Operations.SCHEMAS + "v2.Ready")))
    @GetMapping(path = "/v2/health/ready", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> ready() {
        ServingReadiness.Verdict verdict = readiness.verdict();
        return verdict.ready()
                ? ResponseEntity.ok(Map.of("ready", true))
                : notReady(Map.of("ready", false), verdict.reason());
    }

    @Operation(summary = "Server metadata: name, version, the protocol extensions supported.")
    @ApiResponse(
            responseCode = "200",
            description = "the server's metadata",
            content = @Content(schema = @Schema(ref = Operations.SCHEMAS + "v2.ServerMetadata")))
    @GetMapping(path = "/v2", produces = MediaType.APPLICATION_JSON_VALUE)
    ServerMetadata server() {
        return serverMetadata;
    }

    @Operations.Metadata
    @GetMapping(path = "/v2/models/{model}", produces = MediaType.APPLICATION_JSON_VALUE)
    ModelMetadata model(@PathVariable String model) {
        return metadata(model, null);
    }

    @Operations.Metadata
    @GetMapping(path = "/v2/models/{model}/versions/{version}", produces = MediaType.APPLICATION_JSON_VALUE)
    ModelMetadata modelVersion(@PathVariable String model, @PathVariable String version) {
        return metadata(model, parseVersion(model, version));
    }

    @Operations.Readiness
    @GetMapping(path = "/v2/models/{model}/ready", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> modelReady(@PathVariable String model) {
        return readiness(model, null);
    }

    @Operations.Readiness
    @GetMapping(path = "/v2/models/{model}/versions/{version}/ready", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> modelVersionReady(@PathVariable String model, @PathVariable String version) {
        return readiness(model, parseVersion(model, version));
    }

    @Operations.Infer
    @PostMapping(
            path = "/v2/models/{model}/infer",
            consumes = {MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_OCTET_STREAM_VALUE})
    void infer(@PathVariable String model, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        run(model, null, request, response);
    }

    @Operations.Infer
    @PostMapping(
            path = "/v2/models/{model}/versions/{version}/infer",
            consumes = {MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_OCTET_STREAM_VALUE})
    void inferVersion(
            @PathVariable String model,
            @PathVariable String version,
            HttpServletRequest request,
            HttpServletResponse response)
            throws IOException {
        run(model, parseVersion(model, version), request, response);
    }

    private void run(String model, Long version, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        status(model);
        InferenceRequest parsed = read(model, version, request);
        Duration timeout = TimeoutParameter.from(parsed.parameters());
        if (timeout == null) {
            timeout = RequestTimeoutHeader.parse(request.getHeader(RequestTimeoutHeader.NAME));
        }
        TensorResult result =
                inference.infer(model, version, parsed.inputs(), parsed.outputNames(), deadlines.start(timeout));
        writer.write(parsed, result, response);
    }

    private InferenceRequest read(String model, Long version, HttpServletRequest request) throws IOException {
        String header = request.getHeader(OpenInferenceHeaders.HEADER_LENGTH);
        if (header == null) {
            return reader.readJson(request.getInputStream(), request.getContentLengthLong());
        }
        long jsonLength;
        try {
            jsonLength = Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            throw new InvalidInputException(OpenInferenceHeaders.HEADER_LENGTH
                    + ": expected the length in bytes of the JSON object, got '" + abbreviate(header) + "'");
        }
        byte[] body = request.getInputStream().readAllBytes();
        return jsonLength == 0
                ? RawBinaryRequest.read(signature(model, version), body)
                : reader.readBinary(body, jsonLength);
    }

    private ModelMetadata metadata(String model, Long version) {
        ModelSignature signature = signature(model, version);
        return ModelMetadata.of(model, registry.readyVersions(model), signature);
    }

    /** The signature of the version {@code infer} would serve. */
    private ModelSignature signature(String model, Long version) {
        ModelStatus status = status(model);
        return version == null
                ? status.defaultSignature()
                        .orElseThrow(() ->
                                new ModelNotReadyException("model '" + model + "' has no version ready to serve yet"))
                : servingVersion(status, version).signature().orElseThrow();
    }

    private ResponseEntity<Map<String, Object>> readiness(String model, Long version) {
        ModelStatus status = status(model);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", model);
        if (version == null) {
            body.put("ready", status.isReady());
            return status.isReady()
                    ? ResponseEntity.ok(body)
                    : notReady(body, "model '" + model + "' has no version ready to serve");
        }
        ModelStatus.VersionStatus slot = findVersion(status, version);
        boolean ready = slot.state() == ModelState.READY;
        body.put("ready", ready);
        return ready
                ? ResponseEntity.ok(body)
                : notReady(body, "model '" + model + "' version " + version + " is " + describe(slot));
    }

    private static ResponseEntity<Map<String, Object>> notReady(Map<String, Object> body, String reason) {
        Map<String, Object> answer = new LinkedHashMap<>(body);
        answer.put("error", reason);
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, "1")
                .body(answer);
    }

    private ModelStatus status(String model) {
        return registry.status(model)
                .orElseThrow(
                        () -> new ModelNotFoundException("no model '" + model + "'; models: " + registry.modelNames()));
    }

    /** The version as {@code infer} would serve it: LOADING is 503, anything else not READY is 404. */
    private static ModelStatus.VersionStatus servingVersion(ModelStatus status, long version) {
        ModelStatus.VersionStatus slot = findVersion(status, version);
        if (slot.state() == ModelState.LOADING) {
            throw new ModelNotReadyException("model '" + status.name() + "' version " + version + " is still LOADING");
        }
        if (slot.state() != ModelState.READY) {
            throw new ModelNotFoundException("model '" + status.name() + "' has no loaded version " + version
                    + " (it is " + describe(slot) + ")");
        }
        return slot;
    }

    private static ModelStatus.VersionStatus findVersion(ModelStatus status, long version) {
        Optional<ModelStatus.VersionStatus> slot = status.versions().stream()
                .filter(candidate -> candidate.version() == version)
                .findFirst();
        return slot.orElseThrow(() -> new ModelNotFoundException("model '" + status.name() + "' has no version "
                + version + "; versions: "
                + status.versions().stream()
                        .map(ModelStatus.VersionStatus::version)
                        .toList()));
    }

    private static String describe(ModelStatus.VersionStatus slot) {
        return slot.reason().isEmpty() ? slot.state().name() : slot.state() + ": " + slot.reason();
    }

    private static long parseVersion(String model, String version) {
        if (!VersionNumbers.isValid(version)) {
            throw new ModelNotFoundException("model '" + model + "' has no version '" + abbreviate(version)
                    + "'; versions are positive integers without leading zeros");
        }
        return Long.parseLong(version);
    }

    private static String abbreviate(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }
}
