package dev.onnxserving.pipeline;

import java.nio.ByteBuffer;
import java.util.Arrays;
import tools.jackson.core.JsonGenerator;

/**
 * Everything one {@link ElementType} needs, in one place: the primitive array that backs its tensors, how a JSON
 * value becomes an element, how elements are written as JSON and as bytes, and how they widen to a double. The
 * streaming v2 reader, the processors, the binary extension, the response writer and batching all go through it,
 * so a datatype has one set of rules everywhere.
 *
 * <p>JSON coercion: integer types take integral numbers ({@code 3} and {@code 3.0}) within the type's range;
 * floating-point types take any number that does not overflow the type (FP16 rounds to nearest even); BOOL takes
 * {@code true} and {@code false}; STRING (BYTES) takes strings. Nothing else is coerced: {@code "1.5"} is not a
 * number and {@code 1} is not a boolean. Codecs are stateless and thread-safe.
 */
public abstract sealed class ElementCodec permits FloatingCodec, IntegerCodec, ElementCodec.Bool, ElementCodec.Text {

    /** By {@link ElementType#ordinal()}. */
    private static final ElementCodec[] CODECS = new ElementCodec[ElementType.values().length];

    static {
        for (ElementCodec codec : new ElementCodec[] {
            new FloatingCodec.Fp32(),
            new FloatingCodec.Fp64(),
            new FloatingCodec.Fp16(),
            new IntegerCodec.Int64(),
            new IntegerCodec.Int32(),
            new IntegerCodec.Int16(),
            new IntegerCodec.Int8(ElementType.INT8, false),
            new IntegerCodec.Int8(ElementType.UINT8, true),
            new Bool(),
            new Text()
        }) {
            CODECS[codec.type.ordinal()] = codec;
        }
    }

    private final ElementType type;
    private final Storage storage;
    private final String element;

    /** @param noun what one element is: "number", "integer", "boolean" or "string" */
    ElementCodec(ElementType type, Storage storage, String noun) {
        this.type = type;
        this.storage = storage;
        this.element = type.isInteger() || type.isFloatingPoint()
                ? (type.protocolName().startsWith("U") ? "a " : "an ") + type.protocolName() + " " + noun
                : "a " + noun;
    }

    public static ElementCodec of(ElementType type) {
        return CODECS[type.ordinal()];
    }

    public final ElementType type() {
        return type;
    }

    /** The array class of tensors of this type: {@code float[]} for FP32, {@code short[]} for FP16 bits, .... */
    public final Class<?> arrayClass() {
        return storage.arrayClass();
    }

    /** A zeroed array of {@code length} elements (nulls for strings). */
    public final Object newArray(int length) {
        return storage.newArray(length);
    }

    /** What one element is, for messages: "an FP32 number", "a UINT8 integer", "a boolean", "a string". */
    public final String element() {
        return element;
    }

    /**
     * Converts {@code value} and stores it at {@code index} of {@code array}.
     *
     * @return {@code null} when stored, otherwise what was expected and what came (the element is then unspecified)
     */
    public final String store(JsonScalar value, Object array, int index) {
        String expected = coerce(value, array, index);
        return expected == null ? null : expected + ", got " + value.describe();
    }

    /** Stores {@code value} as {@link #store} says, or returns what was expected ("expected a boolean"). */
    abstract String coerce(JsonScalar value, Object array, int index);

    final String expected() {
        return "expected " + element;
    }

    /** Element {@code index} widened to a double; for numeric and boolean types only. */
    public abstract double getAsDouble(Object array, int index);

    /** Element {@code index} as the value JSON shows: FP16 as a float, INT8 and UINT8 as ints, BOOL a boolean. */
    public abstract Object jsonValue(Object array, int index);

    /** Elements {@code [from, from + length)} as an array Jackson writes as the JSON {@link #jsonValue}s. */
    public Object jsonValues(Object array, int from, int length) {
        return storage.copy(array, from, length);
    }

    /** Writes the first {@code count} elements as one JSON array. */
    public void writeJson(JsonGenerator json, Object array, int count) {
        json.writeStartArray(array, count);
        for (int index = 0; index < count; index++) {
            writeElement(json, array, index);
        }
        json.writeEndArray();
    }

    abstract void writeElement(JsonGenerator json, Object array, int index);

    /** Sets every element to {@code value} converted to the type; strings keep what they hold. */
    public abstract void fill(Object array, double value);

    /** Element 0 copied over the rest of {@code array}, for {@link #fill} once it has stored the first element. */
    final void repeatFirst(Object array) {
        storage.repeatFirst(array);
    }

    /**
     * Fills {@code target} with elements read at {@code source}'s position in its byte order, moving the position
     * past them; not for STRING, whose elements have no fixed width.
     */
    public final void readBinary(ByteBuffer source, Object target) {
        storage.readFrom(source, target);
    }

    /** Writes all of {@code source} at {@code target}'s position in its byte order, moving the position past it. */
    public final void writeBinary(Object source, ByteBuffer target) {
        storage.writeTo(source, target);
    }

    /** BOOL: one byte, 0 or 1. */
    static final class Bool extends ElementCodec {

        Bool() {
            super(ElementType.BOOL, Storage.BYTES, "boolean");
        }

        @Override
        String coerce(JsonScalar value, Object array, int index) {
            JsonScalar.Kind kind = value.kind();
            if (kind != JsonScalar.Kind.TRUE && kind != JsonScalar.Kind.FALSE) {
                return expected();
            }
            ((byte[]) array)[index] = (byte) (kind == JsonScalar.Kind.TRUE ? 1 : 0);
            return null;
        }

        @Override
        public double getAsDouble(Object array, int index) {
            return ((byte[]) array)[index];
        }

        @Override
        public Object jsonValue(Object array, int index) {
            return ((byte[]) array)[index] != 0;
        }

        @Override
        public Object jsonValues(Object array, int from, int length) {
            boolean[] values = new boolean[length];
            for (int index = 0; index < length; index++) {
                values[index] = ((byte[]) array)[from + index] != 0;
            }
            return values;
        }

        @Override
        void writeElement(JsonGenerator json, Object array, int index) {
            json.writeBoolean(((byte[]) array)[index] != 0);
        }

        @Override
        public void fill(Object array, double value) {
            Arrays.fill((byte[]) array, (byte) (value != 0 ? 1 : 0));
        }
    }

    /** STRING, the protocol's BYTES: Java strings (UTF-8 text on the wire). */
    static final class Text extends ElementCodec {

        Text() {
            super(ElementType.STRING, Storage.STRINGS, "string");
        }

        @Override
        String coerce(JsonScalar value, Object array, int index) {
            if (value.kind() != JsonScalar.Kind.STRING) {
                return expected();
            }
            ((String[]) array)[index] = value.stringValue();
            return null;
        }

        @Override
        public double getAsDouble(Object array, int index) {
            throw new IllegalStateException("a STRING tensor has no numeric elements");
        }

        @Override
        public Object jsonValue(Object array, int index) {
            return ((String[]) array)[index];
        }

        @Override
        public void writeJson(JsonGenerator json, Object array, int count) {
            json.writeArray((String[]) array, 0, count);
        }

        @Override
        void writeElement(JsonGenerator json, Object array, int index) {
            json.writeString(((String[]) array)[index]);
        }

        @Override
        public void fill(Object array, double value) {
            // strings pad with what Tensor.zeros gave them: ""
        }
    }
}
