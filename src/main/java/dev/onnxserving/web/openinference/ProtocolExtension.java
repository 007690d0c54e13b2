package dev.onnxserving.web.openinference;

/**
 * An Open Inference Protocol extension another part of the application serves (e.g. the management API's model
 * repository extension); each such bean is listed in the server metadata's {@code extensions}.
 *
 * @param name the extension's name as the protocol spells it, e.g. {@code model_repository}
 */
public record ProtocolExtension(String name) {}
