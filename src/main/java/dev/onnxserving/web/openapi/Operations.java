package dev.onnxserving.web.openapi;

import dev.onnxserving.pipeline.ErrorKind;
import dev.onnxserving.web.Raises;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.http.MediaType;

/**
 * The documentation of operations that more than one handler method serves (a path with and without a version, a
 * JSON body and an upload), as annotations to put on each of them. The failures come from {@link Raises}.
 */
public final class Operations {

    /** Where the schemas the annotations name are. */
    public static final String SCHEMAS = "#/components/schemas/";

    public static final String PREDICT_TAG = "Application API";
    public static final String V2_TAG = "Open Inference Protocol v2";
    public static final String MODELS_TAG = "Models";
    public static final String MANAGEMENT_TAG = "Management";

    static final String IRIS_PREDICT_EXAMPLE = "{\"instances\": [{\"sepal_length\": 5.1, \"sepal_width\": 3.5,"
            + " \"petal_length\": 1.4, \"petal_width\": 0.2}]}";
    static final String IRIS_INFER_EXAMPLE = "{\"id\": \"42\", \"inputs\": [{\"name\": \"input\", \"shape\": [1, 4],"
            + " \"datatype\": \"FP32\", \"data\": [5.1, 3.5, 1.4, 0.2]}]}";
    static final String EXAMPLE = "iris";

    private Operations() {}

    /** The failures of running a model on a request: every prediction and every inference can end with these. */
    @Target(ElementType.ANNOTATION_TYPE)
    @Retention(RetentionPolicy.RUNTIME)
    @Raises({
        ErrorKind.INVALID_INPUT,
        ErrorKind.NOT_FOUND,
        ErrorKind.NOT_READY,
        ErrorKind.DEADLINE_EXCEEDED,
        ErrorKind.CAPACITY_EXCEEDED
    })
    @interface RaisesWhenRunning {}

    /** {@code POST .../predict}: domain JSON or uploaded files through the model's whole pipeline. */
    @Target(ElementType.METHOD)
    @Retention(RetentionPolicy.RUNTIME)
    @Operation(
            tags = PREDICT_TAG,
            summary = "Runs the model's whole pipeline: preprocessor, model, postprocessor.",
            description = "Which version serves: the one in the path, the one a label points to, or the one the"
                    + " model's routing picks. Model-Name and Model-Version headers say which served.",
            requestBody =
                    @RequestBody(
                            required = true,
                            content = {
                                @Content(
                                        mediaType = MediaType.APPLICATION_JSON_VALUE,
                                        schema = @Schema(ref = Operations.SCHEMAS + "PredictRequest"),
                                        examples = @ExampleObject(name = EXAMPLE, value = IRIS_PREDICT_EXAMPLE)),
                                @Content(
                                        mediaType = MediaType.MULTIPART_FORM_DATA_VALUE,
                                        schema = @Schema(ref = Operations.SCHEMAS + "PredictUpload"))
                            }))
    @ApiResponse(
            responseCode = "200",
            description = "one prediction per instance",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(ref = Operations.SCHEMAS + "PredictResponse")))
    @RaisesWhenRunning
    public @interface Predict {}

    /** {@code POST /v2/models/{model}[/versions/{version}]/infer}: the raw model on typed tensors. */
    @Target(ElementType.METHOD)
    @Retention(RetentionPolicy.RUNTIME)
    @Operation(
            tags = V2_TAG,
            summary = "Runs the model on tensors (no processors), in JSON or with binary tensor data.",
            description = "Inputs are checked against the model's signature before it runs. For binary data, send"
                    + " the JSON object, then each binary input's bytes in order (little-endian; BYTES elements as a"
                    + " 4-byte length and the bytes), with the header Inference-Header-Content-Length giving the"
                    + " JSON's length and parameters.binary_data_size on each binary input. Outputs with"
                    + " parameters.binary_data (or all, with the request parameter binary_data_output) come back the"
                    + " same way, as application/octet-stream.",
            requestBody =
                    @RequestBody(
                            required = true,
                            content = {
                                @Content(
                                        mediaType = MediaType.APPLICATION_JSON_VALUE,
                                        schema = @Schema(ref = Operations.SCHEMAS + "v2.InferenceRequest"),
                                        examples = @ExampleObject(name = EXAMPLE, value = IRIS_INFER_EXAMPLE)),
                                @Content(
                                        mediaType = MediaType.APPLICATION_OCTET_STREAM_VALUE,
                                        schema = @Schema(ref = Operations.SCHEMAS + "Binary"))
                            }))
    @ApiResponse(
            responseCode = "200",
            description = "the outputs",
            content = {
                @Content(
                        mediaType = MediaType.APPLICATION_JSON_VALUE,
                        schema = @Schema(ref = Operations.SCHEMAS + "v2.InferenceResponse")),
                @Content(
                        mediaType = MediaType.APPLICATION_OCTET_STREAM_VALUE,
                        schema = @Schema(ref = Operations.SCHEMAS + "Binary"))
            })
    @RaisesWhenRunning
    public @interface Infer {}

    /** {@code GET /v2/models/{model}[/versions/{version}]}. */
    @Target(ElementType.METHOD)
    @Retention(RetentionPolicy.RUNTIME)
    @Operation(summary = "Model metadata: versions READY, platform, inputs and outputs with datatypes and shapes.")
    @ApiResponse(
            responseCode = "200",
            description = "the model's metadata",
            content = @Content(schema = @Schema(ref = Operations.SCHEMAS + "v2.ModelMetadata")))
    @Raises({ErrorKind.NOT_FOUND, ErrorKind.NOT_READY})
    public @interface Metadata {}

    /** {@code GET /v2/models/{model}[/versions/{version}]/ready}: answers 503 itself when not ready. */
    @Target(ElementType.METHOD)
    @Retention(RetentionPolicy.RUNTIME)
    @Operation(summary = "Model readiness: 200 when it can serve, else 503.")
    @ApiResponse(
            responseCode = "200",
            description = "ready",
            content = @Content(schema = @Schema(ref = Operations.SCHEMAS + "v2.ModelReady")))
    @ApiResponse(
            responseCode = "503",
            description = "not ready; see Retry-After",
            content = @Content(schema = @Schema(ref = Operations.SCHEMAS + "v2.ModelReady")))
    @Raises(ErrorKind.NOT_FOUND)
    public @interface Readiness {}

    /** {@code GET /models/{model}[/versions/{version}]/schema}. */
    @Target(ElementType.METHOD)
    @Retention(RetentionPolicy.RUNTIME)
    @Operation(
            tags = MODELS_TAG,
            summary = "The schema this model generates: what its v2 infer and its predict take and return.")
    @Raises({ErrorKind.NOT_FOUND, ErrorKind.NOT_READY})
    public @interface GeneratedSchema {}
}
