package dev.onnxserving.pipeline;

/**
 * The request body's media type, charset or content coding is not one the endpoint takes (HTTP 415). The message
 * names what came and what is accepted.
 */
public class UnsupportedMediaTypeException extends ServingException {

    public UnsupportedMediaTypeException(String message) {
        super(ErrorKind.UNSUPPORTED_MEDIA_TYPE, message);
    }
}
