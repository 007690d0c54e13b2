package dev.onnxserving.protocol.openinference;

/** HTTP headers of the binary tensor data extension. */
public final class OpenInferenceHeaders {

    /** The length in bytes of the JSON object that starts a body with binary tensor data. */
    public static final String HEADER_LENGTH = "Inference-Header-Content-Length";

    private OpenInferenceHeaders() {}
}
