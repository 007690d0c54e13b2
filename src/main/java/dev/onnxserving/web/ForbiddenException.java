package dev.onnxserving.web;

import dev.onnxserving.pipeline.ServingException;

/** The request's credentials are not accepted (HTTP 403). */
public class ForbiddenException extends ServingException {

    public ForbiddenException(String message) {
        super(message);
    }
}
