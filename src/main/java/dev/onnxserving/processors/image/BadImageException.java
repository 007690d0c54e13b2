package dev.onnxserving.processors.image;

/** What is wrong with one image instance, as a client-facing detail (what was expected and what came). */
final class BadImageException extends Exception {

    BadImageException(String detail) {
        super(detail, null, false, false);
    }
}
