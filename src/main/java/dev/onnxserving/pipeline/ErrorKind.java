package dev.onnxserving.pipeline;

/**
 * What kind of failure ended a request. Every {@link ServingException} carries exactly one; each adapter (HTTP
 * status and error shape, metric outcome) maps the kind once, so no adapter classifies exception classes.
 */
public enum ErrorKind {
    /** The request's content is wrong: a field, a value, a shape, malformed JSON. */
    INVALID_INPUT,
    /** No such model, version or path. */
    NOT_FOUND,
    /** The HTTP method is not one the path takes. */
    METHOD_NOT_ALLOWED,
    /** None of the media types the client accepts can be produced. */
    NOT_ACCEPTABLE,
    /** The model exists but cannot serve right now; retrying later may succeed. */
    NOT_READY,
    /** The model's admission queue is full; retrying later may succeed. */
    CAPACITY_EXCEEDED,
    /** The request's deadline passed before the model ran it. */
    DEADLINE_EXCEEDED,
    /** The server is shutting down and no longer takes requests. */
    SHUTTING_DOWN,
    /** The request cannot be carried out in the model's current state. */
    CONFLICT,
    /** The request body is larger than the configured limit. */
    PAYLOAD_TOO_LARGE,
    /** The body's media type, charset or content coding is not one the endpoint takes. */
    UNSUPPORTED_MEDIA_TYPE,
    /** An {@code Expect} header the server cannot meet. */
    EXPECTATION_FAILED,
    /** No usable credentials. */
    UNAUTHORIZED,
    /** Credentials that are not accepted. */
    FORBIDDEN,
    /** A model's own settings do not fit its processors or signature. */
    MODEL_MISCONFIGURED,
    /** The runtime failed on input that passed validation. */
    INFERENCE_FAILED,
    /** A failure nobody anticipated; the server log has the details. */
    INTERNAL
}
