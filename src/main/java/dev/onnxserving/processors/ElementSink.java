package dev.onnxserving.processors;

import dev.onnxserving.pipeline.ElementType;
import dev.onnxserving.pipeline.Float16;
import dev.onnxserving.pipeline.JsonKinds;
import dev.onnxserving.pipeline.Tensor;
import java.math.BigDecimal;
import tools.jackson.databind.JsonNode;

/**
 * Converts JSON leaves into the elements of one {@link ElementType} and stores them straight into the primitive
 * array that backs a {@link Tensor} of that type.
 *
 * <p>Numbers for numeric types: integer types take integral numbers ({@code 3} and {@code 3.0}) within the type's
 * range; floating-point types take any number that does not overflow the type. JSON booleans for BOOL, strings for
 * STRING. Nothing is coerced: {@code "1.5"} is not a number and {@code 1} is not a boolean. One sink fills one
 * array and is not thread-safe.
 */
abstract class ElementSink {

    private final ElementType type;

    private ElementSink(ElementType type) {
        this.type = type;
    }

    static ElementSink create(ElementType type, int count) {
        return switch (type) {
            case FP32 -> new FloatSink(count);
            case FP64 -> new DoubleSink(count);
            case FP16 -> new HalfSink(count);
            case INT64 -> new LongSink(count);
            case INT32 -> new IntSink(count);
            case INT16 -> new ShortSink(count);
            case INT8 -> new ByteSink(ElementType.INT8, Byte.MIN_VALUE, Byte.MAX_VALUE, count);
            case UINT8 -> new ByteSink(ElementType.UINT8, 0, 255, count);
            case BOOL -> new BooleanSink(count);
            case STRING -> new StringSink(count);
        };
    }

    /** What a single element of {@code type} is, for messages: "an FP32 number", "a boolean". */
    static String expectedElement(ElementType type) {
        if (type == ElementType.BOOL) {
            return "a boolean";
        }
        if (type == ElementType.STRING) {
            return "a string";
        }
        String name = type.protocolName();
        String article = name.startsWith("F") || name.startsWith("I") ? "an " : "a ";
        return article + name + (type.isInteger() ? " integer" : " number");
    }

    /** The filled array, of the class {@link Tensor#arrayClassOf} names for the type. */
    abstract Object array();

    /**
     * Converts {@code value} and stores it at {@code index}.
     *
     * @return {@code null} when stored, otherwise what was expected and what came (the element is then unspecified)
     */
    abstract String put(int index, JsonNode value);

    final String wrongValue(JsonNode value) {
        return "expected " + expectedElement(type) + ", got " + JsonKinds.describe(value);
    }

    final String outOfRange(String range, JsonNode value) {
        return "expected " + expectedElement(type) + " " + range + ", got " + JsonKinds.describe(value);
    }

    private abstract static class FloatingSink extends ElementSink {

        private final String range;

        FloatingSink(ElementType type, String range) {
            super(type);
            this.range = range;
        }

        @Override
        final String put(int index, JsonNode value) {
            if (!value.isNumber()) {
                return wrongValue(value);
            }
            double number = value.doubleValue();
            return store(index, number) ? null : outOfRange(range, value);
        }

        /** @return false when the number overflows the type */
        abstract boolean store(int index, double number);
    }

    private static final class FloatSink extends FloatingSink {

        private final float[] data;

        FloatSink(int count) {
            super(ElementType.FP32, "within ±" + Float.MAX_VALUE);
            data = new float[count];
        }

        @Override
        boolean store(int index, double number) {
            float value = (float) number;
            data[index] = value;
            return !Float.isInfinite(value);
        }

        @Override
        Object array() {
            return data;
        }
    }

    private static final class DoubleSink extends FloatingSink {

        private final double[] data;

        DoubleSink(int count) {
            super(ElementType.FP64, "within ±" + Double.MAX_VALUE);
            data = new double[count];
        }

        @Override
        boolean store(int index, double number) {
            data[index] = number;
            return !Double.isInfinite(number);
        }

        @Override
        Object array() {
            return data;
        }
    }

    private static final class HalfSink extends FloatingSink {

        private static final int INFINITY_BITS = 0x7C00;

        private final short[] data;

        HalfSink(int count) {
            super(ElementType.FP16, "within ±65504");
            data = new short[count];
        }

        @Override
        boolean store(int index, double number) {
            short bits = Float16.fromFloat((float) number);
            data[index] = bits;
            return (bits & 0x7FFF) != INFINITY_BITS;
        }

        @Override
        Object array() {
            return data;
        }
    }

    private abstract static class IntegerSink extends ElementSink {

        private static final double TWO_TO_63 = 0x1p63;

        private final long min;
        private final long max;
        private final String range;

        IntegerSink(ElementType type, long min, long max) {
            super(type);
            this.min = min;
            this.max = max;
            this.range = "from " + min + " to " + max;
        }

        @Override
        final String put(int index, JsonNode value) {
            if (!value.isNumber()) {
                return wrongValue(value);
            }
            long number;
            if (value.isIntegralNumber()) {
                if (!value.canConvertToLong()) {
                    return outOfRange(range, value);
                }
                number = value.longValue();
            } else if (value.isBigDecimal()) {
                BigDecimal decimal = value.decimalValue();
                if (decimal.signum() != 0 && decimal.stripTrailingZeros().scale() > 0) {
                    return wrongValue(value);
                }
                try {
                    number = decimal.longValueExact();
                } catch (ArithmeticException overflow) {
                    return outOfRange(range, value);
                }
            } else {
                double decimal = value.doubleValue();
                if (Double.isInfinite(decimal) || decimal < -TWO_TO_63 || decimal >= TWO_TO_63) {
                    return outOfRange(range, value);
                }
                if (decimal != Math.rint(decimal)) {
                    return wrongValue(value);
                }
                number = (long) decimal;
            }
            if (number < min || number > max) {
                return outOfRange(range, value);
            }
            store(index, number);
            return null;
        }

        abstract void store(int index, long number);
    }

    private static final class LongSink extends IntegerSink {

        private final long[] data;

        LongSink(int count) {
            super(ElementType.INT64, Long.MIN_VALUE, Long.MAX_VALUE);
            data = new long[count];
        }

        @Override
        void store(int index, long number) {
            data[index] = number;
        }

        @Override
        Object array() {
            return data;
        }
    }

    private static final class IntSink extends IntegerSink {

        private final int[] data;

        IntSink(int count) {
            super(ElementType.INT32, Integer.MIN_VALUE, Integer.MAX_VALUE);
            data = new int[count];
        }

        @Override
        void store(int index, long number) {
            data[index] = (int) number;
        }

        @Override
        Object array() {
            return data;
        }
    }

    private static final class ShortSink extends IntegerSink {

        private final short[] data;

        ShortSink(int count) {
            super(ElementType.INT16, Short.MIN_VALUE, Short.MAX_VALUE);
            data = new short[count];
        }

        @Override
        void store(int index, long number) {
            data[index] = (short) number;
        }

        @Override
        Object array() {
            return data;
        }
    }

    private static final class ByteSink extends IntegerSink {

        private final byte[] data;

        ByteSink(ElementType type, long min, long max, int count) {
            super(type, min, max);
            data = new byte[count];
        }

        @Override
        void store(int index, long number) {
            data[index] = (byte) number;
        }

        @Override
        Object array() {
            return data;
        }
    }

    private static final class BooleanSink extends ElementSink {

        private final byte[] data;

        BooleanSink(int count) {
            super(ElementType.BOOL);
            data = new byte[count];
        }

        @Override
        String put(int index, JsonNode value) {
            if (!value.isBoolean()) {
                return wrongValue(value);
            }
            data[index] = (byte) (value.booleanValue() ? 1 : 0);
            return null;
        }

        @Override
        Object array() {
            return data;
        }
    }

    private static final class StringSink extends ElementSink {

        private final String[] data;

        StringSink(int count) {
            super(ElementType.STRING);
            data = new String[count];
        }

        @Override
        String put(int index, JsonNode value) {
            if (!value.isString()) {
                return wrongValue(value);
            }
            data[index] = value.stringValue();
            return null;
        }

        @Override
        Object array() {
            return data;
        }
    }
}
