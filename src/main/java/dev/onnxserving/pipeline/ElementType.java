package dev.onnxserving.pipeline;

import java.util.Optional;

/**
 * Element types a tensor can hold, with the names the Open Inference Protocol v2 gives them.
 *
 * <p>{@code FP16} values are carried as their raw IEEE 754 half-precision bits in a {@code short[]}.
 */
public enum ElementType {
    BOOL("BOOL", 1),
    UINT8("UINT8", 1),
    INT8("INT8", 1),
    INT16("INT16", 2),
    INT32("INT32", 4),
    INT64("INT64", 8),
    FP16("FP16", 2),
    FP32("FP32", 4),
    FP64("FP64", 8),
    STRING("BYTES", -1);

    private final String protocolName;
    private final int byteSize;

    ElementType(String protocolName, int byteSize) {
        this.protocolName = protocolName;
        this.byteSize = byteSize;
    }

    /** The v2 protocol's datatype name, e.g. {@code FP32} or {@code BYTES}. */
    public String protocolName() {
        return protocolName;
    }

    /** Bytes per element, or -1 for variable-length strings. */
    public int byteSize() {
        return byteSize;
    }

    /** How elements of this type are stored, coerced from JSON and encoded. */
    public ElementCodec codec() {
        return ElementCodec.of(this);
    }

    public boolean isFloatingPoint() {
        return this == FP16 || this == FP32 || this == FP64;
    }

    public boolean isInteger() {
        return this == UINT8 || this == INT8 || this == INT16 || this == INT32 || this == INT64;
    }

    /** Looks a type up by its v2 protocol name (case-sensitive, as the protocol says). */
    public static Optional<ElementType> fromProtocolName(String name) {
        for (ElementType type : ALL) {
            if (type.protocolName.equals(name)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    /** {@link #values()} once: it copies the array on every call, and this lookup is on every request. */
    private static final ElementType[] ALL = values();
}
