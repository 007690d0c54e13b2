package dev.onnxserving.web.openinference;

/** HTTP headers of the binary tensor data extension. */
final class OpenInferenceHeaders {

    /** The length in bytes of the JSON object that starts a body with binary tensor data. */
    static final String HEADER_LENGTH = "Inference-Header-Content-Length";

    private OpenInferenceHeaders() {}
}
