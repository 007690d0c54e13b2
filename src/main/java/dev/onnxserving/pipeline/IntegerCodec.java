package dev.onnxserving.pipeline;

import java.math.BigDecimal;
import tools.jackson.core.JsonGenerator;

/** INT64, INT32, INT16, INT8 and UINT8: integral JSON numbers ({@code 3} or {@code 3.0}) within the type's range. */
abstract sealed class IntegerCodec extends ElementCodec {

    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

    private final long min;
    private final long max;
    private final String inRange;

    IntegerCodec(ElementType type, Storage storage, long min, long max) {
        super(type, storage, "integer");
        this.min = min;
        this.max = max;
        this.inRange = expected() + " from " + min + " to " + max;
    }

    @Override
    final String coerce(JsonScalar value, Object array, int index) {
        long number;
        switch (value.kind()) {
            case INTEGER -> {
                if (!value.fitsLong()) {
                    return inRange;
                }
                number = value.longValue();
            }
            case DECIMAL -> {
                if (!Double.isFinite(value.doubleValue())) {
                    return inRange;
                }
                BigDecimal decimal = value.decimalValue();
                if (decimal.signum() != 0 && decimal.stripTrailingZeros().scale() > 0) {
                    return expected();
                }
                if (decimal.compareTo(LONG_MIN) < 0 || decimal.compareTo(LONG_MAX) > 0) {
                    return inRange;
                }
                number = decimal.longValue();
            }
            default -> {
                return expected();
            }
        }
        if (number < min || number > max) {
            return inRange;
        }
        put(array, index, number);
        return null;
    }

    /** Stores {@code value}, already within range. */
    abstract void put(Object array, int index, long value);

    abstract long get(Object array, int index);

    @Override
    public final double getAsDouble(Object array, int index) {
        return get(array, index);
    }

    @Override
    final void writeElement(JsonGenerator json, Object array, int index) {
        json.writeNumber(get(array, index));
    }

    @Override
    public final void fill(Object array, double value) {
        if (java.lang.reflect.Array.getLength(array) > 0) {
            put(array, 0, (long) value);
            repeatFirst(array);
        }
    }

    static final class Int64 extends IntegerCodec {

        Int64() {
            super(ElementType.INT64, Storage.LONGS, Long.MIN_VALUE, Long.MAX_VALUE);
        }

        @Override
        void put(Object array, int index, long value) {
            ((long[]) array)[index] = value;
        }

        @Override
        long get(Object array, int index) {
            return ((long[]) array)[index];
        }

        @Override
        public Object jsonValue(Object array, int index) {
            return get(array, index);
        }

        @Override
        public void writeJson(JsonGenerator json, Object array, int count) {
            json.writeArray((long[]) array, 0, count);
        }
    }

    static final class Int32 extends IntegerCodec {

        Int32() {
            super(ElementType.INT32, Storage.INTS, Integer.MIN_VALUE, Integer.MAX_VALUE);
        }

        @Override
        void put(Object array, int index, long value) {
            ((int[]) array)[index] = (int) value;
        }

        @Override
        long get(Object array, int index) {
            return ((int[]) array)[index];
        }

        @Override
        public Object jsonValue(Object array, int index) {
            return ((int[]) array)[index];
        }

        @Override
        public void writeJson(JsonGenerator json, Object array, int count) {
            json.writeArray((int[]) array, 0, count);
        }
    }

    static final class Int16 extends IntegerCodec {

        Int16() {
            super(ElementType.INT16, Storage.SHORTS, Short.MIN_VALUE, Short.MAX_VALUE);
        }

        @Override
        void put(Object array, int index, long value) {
            ((short[]) array)[index] = (short) value;
        }

        @Override
        long get(Object array, int index) {
            return ((short[]) array)[index];
        }

        @Override
        public Object jsonValue(Object array, int index) {
            return ((short[]) array)[index];
        }
    }

    /** INT8 and UINT8: one byte, UINT8 holding its value's low byte; both show as JSON ints. */
    static final class Int8 extends IntegerCodec {

        private final boolean unsigned;

        Int8(ElementType type, boolean unsigned) {
            super(type, Storage.BYTES, unsigned ? 0 : Byte.MIN_VALUE, unsigned ? 255 : Byte.MAX_VALUE);
            this.unsigned = unsigned;
        }

        @Override
        void put(Object array, int index, long value) {
            ((byte[]) array)[index] = (byte) value;
        }

        @Override
        long get(Object array, int index) {
            byte value = ((byte[]) array)[index];
            return unsigned ? Byte.toUnsignedInt(value) : value;
        }

        @Override
        public Object jsonValue(Object array, int index) {
            return (int) get(array, index);
        }

        @Override
        public Object jsonValues(Object array, int from, int length) {
            int[] values = new int[length];
            for (int index = 0; index < length; index++) {
                values[index] = (int) get(array, from + index);
            }
            return values;
        }
    }
}
