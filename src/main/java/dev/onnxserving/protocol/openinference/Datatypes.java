package dev.onnxserving.protocol.openinference;

import dev.onnxserving.pipeline.ElementType;
import dev.onnxserving.pipeline.InvalidInputException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** The protocol's datatype names and the element types they stand for. */
final class Datatypes {

    /** Every datatype this server takes and gives, in the protocol's order. */
    static final List<String> SUPPORTED =
            Arrays.stream(ElementType.values()).map(ElementType::protocolName).toList();

    /** Names the protocol defines that the runtime has no tensors for here. */
    private static final Set<String> UNSUPPORTED = Set.of("UINT16", "UINT32", "UINT64", "BF16");

    private Datatypes() {}

    /** @throws InvalidInputException for a name the protocol does not define or this server does not support */
    static ElementType parse(String name, String where) {
        return ElementType.fromProtocolName(name)
                .orElseThrow(() -> new InvalidInputException(where + ": datatype '"
                        + name + "' is " + (UNSUPPORTED.contains(name) ? "not supported by this server" : "unknown")
                        + "; expected one of " + SUPPORTED));
    }
}
