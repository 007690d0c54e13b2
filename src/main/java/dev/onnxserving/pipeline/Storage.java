package dev.onnxserving.pipeline;

import java.lang.reflect.Array;
import java.nio.ByteBuffer;

/**
 * The primitive arrays that back tensors, and how their elements move to and from bytes. Bytes are read and
 * written at a buffer's position in the buffer's own byte order, and the position moves past them.
 */
enum Storage {
    FLOATS(float[].class, Float.BYTES) {
        @Override
        void read(ByteBuffer source, Object target) {
            source.asFloatBuffer().get((float[]) target);
        }

        @Override
        void write(Object source, ByteBuffer target) {
            target.asFloatBuffer().put((float[]) source);
        }
    },
    DOUBLES(double[].class, Double.BYTES) {
        @Override
        void read(ByteBuffer source, Object target) {
            source.asDoubleBuffer().get((double[]) target);
        }

        @Override
        void write(Object source, ByteBuffer target) {
            target.asDoubleBuffer().put((double[]) source);
        }
    },
    LONGS(long[].class, Long.BYTES) {
        @Override
        void read(ByteBuffer source, Object target) {
            source.asLongBuffer().get((long[]) target);
        }

        @Override
        void write(Object source, ByteBuffer target) {
            target.asLongBuffer().put((long[]) source);
        }
    },
    INTS(int[].class, Integer.BYTES) {
        @Override
        void read(ByteBuffer source, Object target) {
            source.asIntBuffer().get((int[]) target);
        }

        @Override
        void write(Object source, ByteBuffer target) {
            target.asIntBuffer().put((int[]) source);
        }
    },
    SHORTS(short[].class, Short.BYTES) {
        @Override
        void read(ByteBuffer source, Object target) {
            source.asShortBuffer().get((short[]) target);
        }

        @Override
        void write(Object source, ByteBuffer target) {
            target.asShortBuffer().put((short[]) source);
        }
    },
    BYTES(byte[].class, Byte.BYTES) {
        @Override
        void read(ByteBuffer source, Object target) {
            source.slice().get((byte[]) target);
        }

        @Override
        void write(Object source, ByteBuffer target) {
            target.slice().put((byte[]) source);
        }
    },
    STRINGS(String[].class, -1) {
        @Override
        void read(ByteBuffer source, Object target) {
            throw new IllegalArgumentException("strings have no fixed-width binary form");
        }

        @Override
        void write(Object source, ByteBuffer target) {
            throw new IllegalArgumentException("strings have no fixed-width binary form");
        }
    };

    private final Class<?> arrayClass;
    private final int width;

    Storage(Class<?> arrayClass, int width) {
        this.arrayClass = arrayClass;
        this.width = width;
    }

    Class<?> arrayClass() {
        return arrayClass;
    }

    Object newArray(int length) {
        return Array.newInstance(arrayClass.getComponentType(), length);
    }

    /** Elements {@code [from, from + length)} of {@code array} in a new array of the same class. */
    Object copy(Object array, int from, int length) {
        Object copy = newArray(length);
        System.arraycopy(array, from, copy, 0, length);
        return copy;
    }

    /** Copies element 0 of {@code array} over all the others, in runs that double: no work per element. */
    void repeatFirst(Object array) {
        int length = Array.getLength(array);
        for (int filled = 1; filled < length; filled += filled) {
            System.arraycopy(array, 0, array, filled, Math.min(filled, length - filled));
        }
    }

    /** Fills {@code target} from {@code source}'s position on. */
    final void readFrom(ByteBuffer source, Object target) {
        read(source, target);
        source.position(source.position() + Array.getLength(target) * width);
    }

    /** Writes all of {@code source} at {@code target}'s position. */
    final void writeTo(Object source, ByteBuffer target) {
        write(source, target);
        target.position(target.position() + Array.getLength(source) * width);
    }

    abstract void read(ByteBuffer source, Object target);

    abstract void write(Object source, ByteBuffer target);
}
