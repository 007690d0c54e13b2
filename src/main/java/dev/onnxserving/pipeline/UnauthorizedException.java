package dev.onnxserving.pipeline;

/** The request carries no usable credentials (HTTP 401 with {@code WWW-Authenticate: Bearer}). */
public class UnauthorizedException extends ServingException {

    public UnauthorizedException(String message) {
        super(ErrorKind.UNAUTHORIZED, message);
    }
}
