package dev.onnxserving.kafka;

import dev.onnxserving.inference.InferenceService;
import dev.onnxserving.inference.Prediction;
import dev.onnxserving.inference.RequestDeadlines;
import dev.onnxserving.inference.TensorResult;
import dev.onnxserving.kafka.KafkaStreamingProperties.Binding;
import dev.onnxserving.kafka.KafkaStreamingProperties.Format;
import dev.onnxserving.observability.RequestIds;
import dev.onnxserving.observability.ServingMetrics.Outcome;
import dev.onnxserving.pipeline.CapacityExceededException;
import dev.onnxserving.pipeline.DeadlineExceededException;
import dev.onnxserving.pipeline.ErrorKind;
import dev.onnxserving.pipeline.InferenceFailedException;
import dev.onnxserving.pipeline.InvalidInputException;
import dev.onnxserving.pipeline.InvalidInputException.FieldError;
import dev.onnxserving.pipeline.ServingException;
import dev.onnxserving.pipeline.UnsupportedMediaTypeException;
import dev.onnxserving.protocol.JsonProblems;
import dev.onnxserving.protocol.PredictRequest;
import dev.onnxserving.protocol.PredictResponse;
import dev.onnxserving.protocol.Problems;
import dev.onnxserving.protocol.openinference.InferenceRequest;
import dev.onnxserving.protocol.openinference.InferenceRequestReader;
import dev.onnxserving.protocol.openinference.InferenceResponseWriter;
import dev.onnxserving.protocol.openinference.OpenInferenceHeaders;
import dev.onnxserving.protocol.openinference.TimeoutParameter;
import dev.onnxserving.registry.VersionChoice;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.springframework.http.MediaType;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Answers one record of a binding through {@link InferenceService}, like {@code POST /predict} answers a request:
 * same processors, leases, version routing, batching and metrics (api {@code kafka}). Retries a failure on the
 * server's side with backoff; a full queue is handed back to the caller ({@link #REFUSED}), never retried here.
 * Thread-safe: records of one poll are handled concurrently.
 */
class RecordHandler {

    static final String API = "kafka";
    static final String CONTENT_TYPE_HEADER = "content-type";

    /** The answer to a record the model's queue had no room for: try it again later. */
    static final Answer REFUSED = new Answer(null, new byte[0], null, null, Outcome.REFUSED, null, null, null);

    private final Binding binding;
    private final InferenceService inference;
    private final RequestDeadlines deadlines;
    private final JsonMapper json;
    private final Clock clock;
    /** The REST path that answers the same requests; the {@code instance} of a problem. */
    private final String restPath;

    private final InferenceRequestReader v2Reader;
    private final InferenceResponseWriter v2Writer;

    RecordHandler(
            Binding binding, InferenceService inference, RequestDeadlines deadlines, JsonMapper json, Clock clock) {
        this.binding = binding;
        this.inference = inference;
        this.deadlines = deadlines;
        this.json = json;
        this.clock = clock;
        this.v2Reader = new InferenceRequestReader(json);
        this.v2Writer = new InferenceResponseWriter(json);
        String model = "/models/" + binding.model();
        this.restPath = binding.version() != null
                ? model + "/versions/" + binding.version() + "/predict"
                : binding.label() != null ? model + "/labels/" + binding.label() + "/predict" : model + "/predict";
    }

    /** @return the answer, or {@link #REFUSED} when the model's queue is full (or the handling was interrupted) */
    Answer handle(ConsumerRecord<byte[], byte[]> record) {
        String requestId = RequestIds.resolve(
                header(record.headers(), RequestIds.REQUEST_ID_HEADER),
                header(record.headers(), RequestIds.TRACEPARENT_HEADER));
        Format format = Format.PREDICT;
        Supplier<Answer> run;
        try {
            format = formatOf(record);
            Optional<Duration> age = tooOld(record);
            if (age.isPresent()) {
                return failed(
                        requestId,
                        format,
                        new DeadlineExceededException(
                                "the record is " + age.get().toMillis() + "ms old, older than max-age "
                                        + binding.maxAge().toMillis() + "ms; not run"),
                        false);
            }
            run = format == Format.PREDICT ? predict(record, requestId) : infer(record, requestId, format);
        } catch (ServingException e) {
            return failed(requestId, format, e, true);
        } catch (RuntimeException e) {
            // a reader that failed in a way it does not describe still never blocks the partition
            return failed(requestId, format, new InferenceFailedException("the record could not be read", e), true);
        }
        return withRetries(requestId, format, run);
    }

    /** Runs {@code run}, again after a backoff while it fails on the server's side, at most {@code retries} times. */
    private Answer withRetries(String requestId, Format format, Supplier<Answer> run) {
        Duration backoff = binding.retryBackoff();
        for (int attempt = 0; ; attempt++) {
            try {
                return run.get();
            } catch (CapacityExceededException e) {
                return REFUSED;
            } catch (ServingException e) {
                if (Outcome.of(e.kind()) == Outcome.CLIENT_ERROR || attempt >= binding.retries()) {
                    return failed(requestId, format, e, true);
                }
            } catch (RuntimeException e) {
                if (attempt >= binding.retries()) {
                    return failed(
                            requestId, format, new InferenceFailedException("the model failed on the record", e), true);
                }
            }
            try {
                Thread.sleep(backoff.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return REFUSED;
            }
            backoff = backoff.multipliedBy(2);
        }
    }

    /** The record's {@code /predict} body, read now; the returned run answers it through the whole pipeline. */
    private Supplier<Answer> predict(ConsumerRecord<byte[], byte[]> record, String requestId) {
        PredictRequest request = PredictRequest.from(readJson(record.value()));
        return () -> {
            Prediction prediction = inference.predict(
                    API,
                    binding.model(),
                    choice(record.headers()),
                    request.instances(),
                    request.parameters(),
                    deadlines.start(null));
            byte[] value = json.writeValueAsBytes(new PredictResponse(
                    prediction.model(), Long.toString(prediction.version()), prediction.predictions()));
            return new Answer(
                    requestId,
                    value,
                    MediaType.APPLICATION_JSON_VALUE,
                    null,
                    Outcome.SUCCESS,
                    prediction.model(),
                    prediction.version(),
                    null);
        };
    }

    /** The record's Open Inference Protocol request, read now; the returned run answers it on the raw model. */
    private Supplier<Answer> infer(ConsumerRecord<byte[], byte[]> record, String requestId, Format format) {
        byte[] value = record.value() == null ? new byte[0] : record.value();
        InferenceRequest request = format == Format.V2_JSON
                ? v2Reader.readJson(new ByteArrayInputStream(value), value.length)
                : v2Reader.readBinary(value, headerLength(record));
        Duration timeout = TimeoutParameter.from(request.parameters());
        return () -> {
            TensorResult result = inference.infer(
                    API,
                    binding.model(),
                    binding.version(),
                    request.inputs(),
                    request.outputNames(),
                    deadlines.start(timeout));
            InferenceResponseWriter.Encoded encoded = v2Writer.encode(request, result);
            return new Answer(
                    requestId,
                    encoded.body(),
                    encoded.binary() ? MediaType.APPLICATION_OCTET_STREAM_VALUE : MediaType.APPLICATION_JSON_VALUE,
                    encoded.binary() ? encoded.jsonLength() : null,
                    Outcome.SUCCESS,
                    result.model(),
                    result.version(),
                    null);
        };
    }

    /**
     * The binding's format; for {@code auto}, the record's: a header length means the binary extension, no
     * {@code content-type} or a JSON one a {@code /predict} body.
     */
    private Format formatOf(ConsumerRecord<byte[], byte[]> record) {
        if (binding.format() != Format.AUTO) {
            return binding.format();
        }
        if (record.headers().lastHeader(OpenInferenceHeaders.HEADER_LENGTH) != null) {
            return Format.V2_BINARY;
        }
        String contentType = header(record.headers(), CONTENT_TYPE_HEADER);
        if (contentType != null && !isJson(contentType)) {
            throw new UnsupportedMediaTypeException("content-type '" + contentType
                    + "' is not supported; expected application/json (a /predict body), or the header "
                    + OpenInferenceHeaders.HEADER_LENGTH + " of the binary tensor data extension");
        }
        return Format.PREDICT;
    }

    private static long headerLength(ConsumerRecord<byte[], byte[]> record) {
        String header = header(record.headers(), OpenInferenceHeaders.HEADER_LENGTH);
        try {
            long length = header == null ? -1 : Long.parseLong(header.trim());
            if (length > 0) {
                return length;
            }
        } catch (NumberFormatException e) {
            // answered below, as a missing header is
        }
        throw new InvalidInputException(OpenInferenceHeaders.HEADER_LENGTH
                + ": expected the length in bytes of the JSON object (a record header), got "
                + (header == null ? "none" : "'" + header + "'"));
    }

    private Optional<Duration> tooOld(ConsumerRecord<byte[], byte[]> record) {
        if (binding.maxAge() == null || record.timestamp() < 0) {
            return Optional.empty();
        }
        Duration age = Duration.ofMillis(clock.millis() - record.timestamp());
        return age.compareTo(binding.maxAge()) > 0 ? Optional.of(age) : Optional.empty();
    }

    private JsonNode readJson(byte[] value) {
        if (value == null || value.length == 0) {
            throw InvalidInputException.at("", "expected a JSON object {\"instances\": [...]}, got an empty record");
        }
        try {
            return json.readTree(value);
        } catch (JacksonException e) {
            throw JsonProblems.translate(e);
        }
    }

    private static boolean isJson(String contentType) {
        try {
            return MediaType.APPLICATION_JSON.isCompatibleWith(MediaType.parseMediaType(contentType));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private VersionChoice choice(Headers headers) {
        if (binding.version() != null) {
            return VersionChoice.exact(binding.version());
        }
        if (binding.label() != null) {
            return VersionChoice.label(binding.label());
        }
        return VersionChoice.routed(name -> header(headers, name));
    }

    /** The answer REST gives to {@code failure} (under {@code /v2} for the protocol's formats), dead-lettered when {@code deadLetter}. */
    private Answer failed(String requestId, Format format, ServingException failure, boolean deadLetter) {
        ErrorKind kind = failure.kind();
        List<FieldError> errors = failure instanceof InvalidInputException invalid ? invalid.errors() : List.of();
        boolean v2 = format == Format.V2_JSON || format == Format.V2_BINARY;
        byte[] value = json.writeValueAsBytes(
                v2
                        ? Map.of("error", failure.getMessage())
                        : Problems.document(restPath, kind, failure.getMessage(), errors));
        Answer.Problem problem = deadLetter
                ? new Answer.Problem(
                        kind.name().toLowerCase(Locale.ROOT),
                        Problems.status(kind).value(),
                        failure.getMessage(),
                        errors.isEmpty() ? null : errors.get(0).pointer())
                : null;
        return new Answer(
                requestId,
                value,
                v2 ? MediaType.APPLICATION_JSON_VALUE : MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                null,
                Outcome.of(kind),
                binding.model(),
                null,
                problem);
    }

    static String header(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
