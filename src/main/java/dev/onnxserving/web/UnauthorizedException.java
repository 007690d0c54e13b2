package dev.onnxserving.web;

import dev.onnxserving.pipeline.ServingException;

/** The request carries no usable credentials (HTTP 401 with {@code WWW-Authenticate: Bearer}). */
public class UnauthorizedException extends ServingException {

    public UnauthorizedException(String message) {
        super(message);
    }
}
