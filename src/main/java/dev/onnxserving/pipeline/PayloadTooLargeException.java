package dev.onnxserving.pipeline;

/** The request body is larger than {@code serving.limits.max-request-size} (HTTP 413). */
public class PayloadTooLargeException extends ServingException {

    public PayloadTooLargeException(long limit) {
        super(
                ErrorKind.PAYLOAD_TOO_LARGE,
                "request body is larger than the limit of " + limit + " bytes (serving.limits.max-request-size)");
    }
}
