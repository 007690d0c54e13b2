package dev.onnxserving.web.openinference;

import java.util.List;

/**
 * The protocol's server metadata.
 *
 * @param name always {@code onnx-serving}
 * @param version the build's version
 * @param extensions the protocol extensions this server implements
 */
record ServerMetadata(String name, String version, List<String> extensions) {}
