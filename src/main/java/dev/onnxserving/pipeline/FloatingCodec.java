package dev.onnxserving.pipeline;

import java.util.Arrays;
import tools.jackson.core.JsonGenerator;

/** FP32, FP64 and FP16: any JSON number the type holds without overflowing. */
abstract sealed class FloatingCodec extends ElementCodec {

    private final String withinRange;

    FloatingCodec(ElementType type, Storage storage, String maximum) {
        super(type, storage, "number");
        this.withinRange = expected() + " within ±" + maximum;
    }

    @Override
    final String coerce(JsonScalar value, Object array, int index) {
        JsonScalar.Kind kind = value.kind();
        if (kind != JsonScalar.Kind.INTEGER && kind != JsonScalar.Kind.DECIMAL) {
            return expected();
        }
        return put(value, array, index) ? null : withinRange;
    }

    /** Stores the number; false when it overflows the type. */
    abstract boolean put(JsonScalar value, Object array, int index);

    static final class Fp32 extends FloatingCodec {

        Fp32() {
            super(ElementType.FP32, Storage.FLOATS, Float.toString(Float.MAX_VALUE));
        }

        @Override
        boolean put(JsonScalar value, Object array, int index) {
            float number = value.floatValue();
            ((float[]) array)[index] = number;
            return !Float.isInfinite(number);
        }

        @Override
        public double getAsDouble(Object array, int index) {
            return ((float[]) array)[index];
        }

        @Override
        public Object jsonValue(Object array, int index) {
            return ((float[]) array)[index];
        }

        @Override
        void writeElement(JsonGenerator json, Object array, int index) {
            json.writeNumber(((float[]) array)[index]);
        }

        @Override
        public void fill(Object array, double value) {
            Arrays.fill((float[]) array, (float) value);
        }
    }

    static final class Fp64 extends FloatingCodec {

        Fp64() {
            super(ElementType.FP64, Storage.DOUBLES, Double.toString(Double.MAX_VALUE));
        }

        @Override
        boolean put(JsonScalar value, Object array, int index) {
            double number = value.doubleValue();
            ((double[]) array)[index] = number;
            return !Double.isInfinite(number);
        }

        @Override
        public double getAsDouble(Object array, int index) {
            return ((double[]) array)[index];
        }

        @Override
        public Object jsonValue(Object array, int index) {
            return ((double[]) array)[index];
        }

        @Override
        public void writeJson(JsonGenerator json, Object array, int count) {
            json.writeArray((double[]) array, 0, count);
        }

        @Override
        void writeElement(JsonGenerator json, Object array, int index) {
            json.writeNumber(((double[]) array)[index]);
        }

        @Override
        public void fill(Object array, double value) {
            Arrays.fill((double[]) array, value);
        }
    }

    /** Half precision, held as its IEEE 754 bits in a {@code short[]}. */
    static final class Fp16 extends FloatingCodec {

        private static final int INFINITY_BITS = 0x7C00;

        Fp16() {
            super(ElementType.FP16, Storage.SHORTS, "65504");
        }

        @Override
        boolean put(JsonScalar value, Object array, int index) {
            short bits = Float16.fromFloat(value.floatValue());
            ((short[]) array)[index] = bits;
            return (bits & 0x7FFF) != INFINITY_BITS;
        }

        private static float get(Object array, int index) {
            return Float16.toFloat(((short[]) array)[index]);
        }

        @Override
        public double getAsDouble(Object array, int index) {
            return get(array, index);
        }

        @Override
        public Object jsonValue(Object array, int index) {
            return get(array, index);
        }

        @Override
        public Object jsonValues(Object array, int from, int length) {
            float[] values = new float[length];
            for (int index = 0; index < length; index++) {
                values[index] = get(array, from + index);
            }
            return values;
        }

        @Override
        void writeElement(JsonGenerator json, Object array, int index) {
            json.writeNumber(get(array, index));
        }

        @Override
        public void fill(Object array, double value) {
            Arrays.fill((short[]) array, Float16.fromFloat((float) value));
        }
    }
}
