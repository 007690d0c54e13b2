package dev.onnxserving.pipeline;

import tools.jackson.core.JsonGenerator;

/**
 * FP32, FP64 and FP16: any JSON number the type holds without overflowing. FP32 and FP16 are single precision
 * wherever they meet JSON (read as floats, shown as floats); FP16 rounds to nearest even.
 */
abstract sealed class FloatingCodec extends ElementCodec {

    private final boolean single;
    private final String withinRange;

    FloatingCodec(ElementType type, Storage storage, String maximum) {
        super(type, storage, "number");
        this.single = type != ElementType.FP64;
        this.withinRange = expected() + " within ±" + maximum;
    }

    /** Element {@code index} as a double (exact: every FP32 and FP16 value is one). */
    abstract double get(Object array, int index);

    /** Stores {@code value}, rounded to the type, and returns what was stored (as a double, exactly). */
    abstract double set(Object array, int index, double value);

    @Override
    final String coerce(JsonScalar value, Object array, int index) {
        JsonScalar.Kind kind = value.kind();
        if (kind != JsonScalar.Kind.INTEGER && kind != JsonScalar.Kind.DECIMAL) {
            return expected();
        }
        double stored = set(array, index, single ? value.floatValue() : value.doubleValue());
        return Double.isInfinite(stored) ? withinRange : null;
    }

    @Override
    public final double getAsDouble(Object array, int index) {
        return get(array, index);
    }

    @Override
    public final Object jsonValue(Object array, int index) {
        return single ? (Object) (float) get(array, index) : (Object) get(array, index);
    }

    @Override
    final void writeElement(JsonGenerator json, Object array, int index) {
        if (single) {
            json.writeNumber((float) get(array, index));
        } else {
            json.writeNumber(get(array, index));
        }
    }

    @Override
    public final void fill(Object array, double value) {
        if (java.lang.reflect.Array.getLength(array) > 0) {
            set(array, 0, value);
            repeatFirst(array);
        }
    }

    static final class Fp32 extends FloatingCodec {

        Fp32() {
            super(ElementType.FP32, Storage.FLOATS, Float.toString(Float.MAX_VALUE));
        }

        @Override
        double get(Object array, int index) {
            return ((float[]) array)[index];
        }

        @Override
        double set(Object array, int index, double value) {
            return ((float[]) array)[index] = (float) value;
        }
    }

    static final class Fp64 extends FloatingCodec {

        Fp64() {
            super(ElementType.FP64, Storage.DOUBLES, Double.toString(Double.MAX_VALUE));
        }

        @Override
        double get(Object array, int index) {
            return ((double[]) array)[index];
        }

        @Override
        double set(Object array, int index, double value) {
            return ((double[]) array)[index] = value;
        }

        @Override
        public void writeJson(JsonGenerator json, Object array, int count) {
            json.writeArray((double[]) array, 0, count);
        }
    }

    /** Half precision, held as its IEEE 754 bits in a {@code short[]}. */
    static final class Fp16 extends FloatingCodec {

        Fp16() {
            super(ElementType.FP16, Storage.SHORTS, "65504");
        }

        @Override
        double get(Object array, int index) {
            return Float16.toFloat(((short[]) array)[index]);
        }

        @Override
        double set(Object array, int index, double value) {
            short bits = Float16.fromFloat((float) value);
            ((short[]) array)[index] = bits;
            return Float16.toFloat(bits);
        }

        /** FP16 shows as floats; FP32 and FP64 arrays are copied as they are. */
        @Override
        public Object jsonValues(Object array, int from, int length) {
            float[] values = new float[length];
            for (int index = 0; index < length; index++) {
                values[index] = Float16.toFloat(((short[]) array)[from + index]);
            }
            return values;
        }
    }
}
