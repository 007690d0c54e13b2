package dev.onnxserving.kafka;

import dev.onnxserving.inference.InferenceService;
import dev.onnxserving.inference.Prediction;
import dev.onnxserving.inference.RequestDeadlines;
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
import dev.onnxserving.registry.VersionChoice;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
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
    static final Answer REFUSED = new Answer(null, new byte[0], null, Outcome.REFUSED, null, null, null);

    private final Binding binding;
    private final InferenceService inference;
    private final RequestDeadlines deadlines;
    private final JsonMapper json;
    private final Clock clock;
    /** The REST path that answers the same requests; the {@code instance} of a problem. */
    private final String restPath;

    RecordHandler(
            Binding binding, InferenceService inference, RequestDeadlines deadlines, JsonMapper json, Clock clock) {
        this.binding = binding;
        this.inference = inference;
        this.deadlines = deadlines;
        this.json = json;
        this.clock = clock;
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
        Optional<Duration> age = tooOld(record);
        if (age.isPresent()) {
            return failed(
                    requestId,
                    new DeadlineExceededException("the record is " + age.get().toMillis()
                            + "ms old, older than max-age " + binding.maxAge().toMillis() + "ms; not run"),
                    false);
        }
        PredictRequest request;
        try {
            request = read(record);
        } catch (ServingException e) {
            return failed(requestId, e, true);
        }
        Duration backoff = binding.retryBackoff();
        for (int attempt = 0; ; attempt++) {
            try {
                Prediction prediction = inference.predict(
                        API,
                        binding.model(),
                        choice(record.headers()),
                        request.instances(),
                        request.parameters(),
                        deadlines.start(null));
                String version = Long.toString(prediction.version());
                byte[] value = json.writeValueAsBytes(
                        new PredictResponse(prediction.model(), version, prediction.predictions()));
                return new Answer(
                        requestId,
                        value,
                        MediaType.APPLICATION_JSON_VALUE,
                        Outcome.SUCCESS,
                        prediction.model(),
                        prediction.version(),
                        null);
            } catch (CapacityExceededException e) {
                return REFUSED;
            } catch (ServingException e) {
                if (Outcome.of(e.kind()) == Outcome.CLIENT_ERROR || attempt >= binding.retries()) {
                    return failed(requestId, e, true);
                }
            } catch (RuntimeException e) {
                if (attempt >= binding.retries()) {
                    return failed(requestId, new InferenceFailedException("the model failed on the record", e), true);
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

    private Optional<Duration> tooOld(ConsumerRecord<byte[], byte[]> record) {
        if (binding.maxAge() == null || record.timestamp() < 0) {
            return Optional.empty();
        }
        Duration age = Duration.ofMillis(clock.millis() - record.timestamp());
        return age.compareTo(binding.maxAge()) > 0 ? Optional.of(age) : Optional.empty();
    }

    private PredictRequest read(ConsumerRecord<byte[], byte[]> record) {
        if (binding.format() == Format.AUTO) {
            String contentType = header(record.headers(), CONTENT_TYPE_HEADER);
            if (contentType != null && !isJson(contentType)) {
                throw new UnsupportedMediaTypeException("content-type '" + contentType
                        + "' is not supported; expected application/json (a /predict body)");
            }
        }
        if (record.value() == null || record.value().length == 0) {
            throw InvalidInputException.at("", "expected a JSON object {\"instances\": [...]}, got an empty record");
        }
        JsonNode body;
        try {
            body = json.readTree(record.value());
        } catch (JacksonException e) {
            throw JsonProblems.translate(e);
        }
        return PredictRequest.from(body);
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

    /** The answer REST gives to {@code failure}, dead-lettered when {@code deadLetter}. */
    private Answer failed(String requestId, ServingException failure, boolean deadLetter) {
        ErrorKind kind = failure.kind();
        List<FieldError> errors = failure instanceof InvalidInputException invalid ? invalid.errors() : List.of();
        byte[] value = json.writeValueAsBytes(Problems.document(restPath, kind, failure.getMessage(), errors));
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
                MediaType.APPLICATION_PROBLEM_JSON_VALUE,
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
