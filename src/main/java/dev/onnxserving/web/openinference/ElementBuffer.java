package dev.onnxserving.web.openinference;

import dev.onnxserving.pipeline.ElementType;
import dev.onnxserving.pipeline.Float16;
import dev.onnxserving.pipeline.Tensor;
import java.math.BigDecimal;
import java.util.Arrays;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * A growable primitive array of one {@link ElementType} that JSON scalars are parsed straight into, with no boxing.
 *
 * <p>Integer types take integral JSON numbers ({@code 3} or {@code 3.0}) within the type's range; floating-point
 * types take any JSON number the type can hold without overflowing; BOOL takes {@code true}/{@code false}; BYTES
 * takes strings. Nothing else is coerced. Not thread-safe.
 */
abstract class ElementBuffer {

    /** How much an empty buffer grows by at least. */
    static final int MIN_CAPACITY = 16;

    final ElementType type;
    int size;

    private ElementBuffer(ElementType type) {
        this.type = type;
    }

    static ElementBuffer create(ElementType type, int capacity) {
        int initial = Math.max(0, capacity);
        return switch (type) {
            case FP32 -> new Floats(initial);
            case FP64 -> new Doubles(initial);
            case FP16 -> new Halves(initial);
            case INT64 -> new Longs(initial);
            case INT32 -> new Ints(initial);
            case INT16 -> new Shorts(initial);
            case INT8 -> new Bytes(type, Byte.MIN_VALUE, Byte.MAX_VALUE, initial);
            case UINT8 -> new Bytes(type, 0, 255, initial);
            case BOOL -> new Booleans(initial);
            case STRING -> new Strings(initial);
        };
    }

    /**
     * Stores the scalar the parser is on.
     *
     * @return {@code null} when stored, otherwise what was expected and what came
     */
    abstract String add(JsonParser parser, JsonToken token);

    /** The elements so far, in an array of exactly {@link #size} of the class {@link Tensor#arrayClassOf} names. */
    abstract Object array();

    final String wrong(JsonParser parser, JsonToken token) {
        return "expected " + Datatypes.element(type) + ", got " + describe(parser, token);
    }

    static String describe(JsonParser parser, JsonToken token) {
        return switch (token) {
            case VALUE_STRING -> {
                String text = parser.getString();
                yield text.length() > 40 ? "a string of " + text.length() + " characters" : "\"" + text + "\"";
            }
            case VALUE_TRUE, VALUE_FALSE, VALUE_NULL -> token.asString();
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                String text = parser.getString();
                yield text.length() > 40 ? "a number of " + text.length() + " digits" : text;
            }
            case START_OBJECT -> "an object";
            default -> String.valueOf(token);
        };
    }

    final int grow(int capacity) {
        return capacity + Math.max(capacity >> 1, MIN_CAPACITY);
    }

    private static final class Floats extends ElementBuffer {
        private float[] data;

        Floats(int capacity) {
            super(ElementType.FP32);
            data = new float[capacity];
        }

        @Override
        String add(JsonParser parser, JsonToken token) {
            if (token != JsonToken.VALUE_NUMBER_FLOAT && token != JsonToken.VALUE_NUMBER_INT) {
                return wrong(parser, token);
            }
            float value = parser.getFloatValue();
            if (Float.isInfinite(value)) {
                return "expected an FP32 number within ±" + Float.MAX_VALUE + ", got " + describe(parser, token);
            }
            if (size == data.length) {
                data = Arrays.copyOf(data, grow(size));
            }
            data[size++] = value;
            return null;
        }

        @Override
        Object array() {
            return size == data.length ? data : Arrays.copyOf(data, size);
        }
    }

    private static final class Doubles extends ElementBuffer {
        private double[] data;

        Doubles(int capacity) {
            super(ElementType.FP64);
            data = new double[capacity];
        }

        @Override
        String add(JsonParser parser, JsonToken token) {
            if (token != JsonToken.VALUE_NUMBER_FLOAT && token != JsonToken.VALUE_NUMBER_INT) {
                return wrong(parser, token);
            }
            double value = parser.getDoubleValue();
            if (Double.isInfinite(value)) {
                return "expected an FP64 number within ±" + Double.MAX_VALUE + ", got " + describe(parser, token);
            }
            if (size == data.length) {
                data = Arrays.copyOf(data, grow(size));
            }
            data[size++] = value;
            return null;
        }

        @Override
        Object array() {
            return size == data.length ? data : Arrays.copyOf(data, size);
        }
    }

    private static final class Halves extends ElementBuffer {
        private static final int INFINITY_BITS = 0x7C00;
        private short[] data;

        Halves(int capacity) {
            super(ElementType.FP16);
            data = new short[capacity];
        }

        @Override
        String add(JsonParser parser, JsonToken token) {
            if (token != JsonToken.VALUE_NUMBER_FLOAT && token != JsonToken.VALUE_NUMBER_INT) {
                return wrong(parser, token);
            }
            short bits = Float16.fromFloat(parser.getFloatValue());
            if ((bits & 0x7FFF) == INFINITY_BITS) {
                return "expected an FP16 number within ±65504, got " + describe(parser, token);
            }
            if (size == data.length) {
                data = Arrays.copyOf(data, grow(size));
            }
            data[size++] = bits;
            return null;
        }

        @Override
        Object array() {
            return size == data.length ? data : Arrays.copyOf(data, size);
        }
    }

    /** Every integer type: the range check here, the storing in one subclass per width. */
    private abstract static class Integers extends ElementBuffer {
        private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
        private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

        private final long min;
        private final long max;

        Integers(ElementType type, long min, long max) {
            super(type);
            this.min = min;
            this.max = max;
        }

        @Override
        final String add(JsonParser parser, JsonToken token) {
            long value;
            if (token == JsonToken.VALUE_NUMBER_INT) {
                if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    return outOfRange(parser, token);
                }
                value = parser.getLongValue();
            } else if (token == JsonToken.VALUE_NUMBER_FLOAT) {
                BigDecimal decimal = parser.getDecimalValue();
                if (decimal.signum() != 0 && decimal.stripTrailingZeros().scale() > 0) {
                    return wrong(parser, token);
                }
                if (decimal.compareTo(LONG_MIN) < 0 || decimal.compareTo(LONG_MAX) > 0) {
                    return outOfRange(parser, token);
                }
                value = decimal.longValue();
            } else {
                return wrong(parser, token);
            }
            if (value < min || value > max) {
                return outOfRange(parser, token);
            }
            store(value);
            size++;
            return null;
        }

        /** Stores {@code value}, already in range, at {@link #size}, growing the array when full. */
        abstract void store(long value);

        private String outOfRange(JsonParser parser, JsonToken token) {
            return "expected " + Datatypes.element(type) + " from " + min + " to " + max + ", got "
                    + describe(parser, token);
        }
    }

    private static final class Longs extends Integers {
        private long[] data;

        Longs(int capacity) {
            super(ElementType.INT64, Long.MIN_VALUE, Long.MAX_VALUE);
            data = new long[capacity];
        }

        @Override
        void store(long value) {
            if (size == data.length) {
                data = Arrays.copyOf(data, grow(size));
            }
            data[size] = value;
        }

        @Override
        Object array() {
            return size == data.length ? data : Arrays.copyOf(data, size);
        }
    }

    private static final class Ints extends Integers {
        private int[] data;

        Ints(int capacity) {
            super(ElementType.INT32, Integer.MIN_VALUE, Integer.MAX_VALUE);
            data = new int[capacity];
        }

        @Override
        void store(long value) {
            if (size == data.length) {
                data = Arrays.copyOf(data, grow(size));
            }
            data[size] = (int) value;
        }

        @Override
        Object array() {
            return size == data.length ? data : Arrays.copyOf(data, size);
        }
    }

    private static final class Shorts extends Integers {
        private short[] data;

        Shorts(int capacity) {
            super(ElementType.INT16, Short.MIN_VALUE, Short.MAX_VALUE);
            data = new short[capacity];
        }

        @Override
        void store(long value) {
            if (size == data.length) {
                data = Arrays.copyOf(data, grow(size));
            }
            data[size] = (short) value;
        }

        @Override
        Object array() {
            return size == data.length ? data : Arrays.copyOf(data, size);
        }
    }

    /** INT8 and UINT8: one byte each, UINT8 stored as its unsigned value's low byte. */
    private static final class Bytes extends Integers {
        private byte[] data;

        Bytes(ElementType type, long min, long max, int capacity) {
            super(type, min, max);
            data = new byte[capacity];
        }

        @Override
        void store(long value) {
            if (size == data.length) {
                data = Arrays.copyOf(data, grow(size));
            }
            data[size] = (byte) value;
        }

        @Override
        Object array() {
            return size == data.length ? data : Arrays.copyOf(data, size);
        }
    }

    private static final class Booleans extends ElementBuffer {
        private byte[] data;

        Booleans(int capacity) {
            super(ElementType.BOOL);
            data = new byte[capacity];
        }

        @Override
        String add(JsonParser parser, JsonToken token) {
            if (token != JsonToken.VALUE_TRUE && token != JsonToken.VALUE_FALSE) {
                return wrong(parser, token);
            }
            if (size == data.length) {
                data = Arrays.copyOf(data, grow(size));
            }
            data[size++] = (byte) (token == JsonToken.VALUE_TRUE ? 1 : 0);
            return null;
        }

        @Override
        Object array() {
            return size == data.length ? data : Arrays.copyOf(data, size);
        }
    }

    private static final class Strings extends ElementBuffer {
        private String[] data;

        Strings(int capacity) {
            super(ElementType.STRING);
            data = new String[capacity];
        }

        @Override
        String add(JsonParser parser, JsonToken token) {
            if (token != JsonToken.VALUE_STRING) {
                return wrong(parser, token);
            }
            if (size == data.length) {
                data = Arrays.copyOf(data, grow(size));
            }
            data[size++] = parser.getString();
            return null;
        }

        @Override
        Object array() {
            return size == data.length ? data : Arrays.copyOf(data, size);
        }
    }
}
