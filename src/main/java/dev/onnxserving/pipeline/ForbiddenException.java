package dev.onnxserving.pipeline;

/** The request's credentials are not accepted (HTTP 403). */
public class ForbiddenException extends ServingException {

    public ForbiddenException(String message) {
        super(ErrorKind.FORBIDDEN, message);
    }
}
