package dev.onnxserving.pipeline;

/**
 * A growable primitive array of one {@link ElementType} that JSON values are stored straight into, with no boxing,
 * following {@link ElementCodec}'s rules. Not thread-safe.
 */
public final class ElementBuffer {

    /** How much an empty buffer grows by at least. */
    public static final int MIN_CAPACITY = 16;

    private final ElementCodec codec;
    private Object data;
    private int capacity;
    private int size;

    public ElementBuffer(ElementType type, int capacity) {
        this.codec = ElementCodec.of(type);
        this.capacity = Math.max(0, capacity);
        this.data = codec.newArray(this.capacity);
    }

    /**
     * Appends {@code value}.
     *
     * @return {@code null} when stored, otherwise what was expected and what came
     */
    public String add(JsonScalar value) {
        if (size == capacity) {
            capacity += Math.max(capacity >> 1, MIN_CAPACITY);
            Object grown = codec.newArray(capacity);
            System.arraycopy(data, 0, grown, 0, size);
            data = grown;
        }
        String problem = codec.store(value, data, size);
        if (problem == null) {
            size++;
        }
        return problem;
    }

    public int size() {
        return size;
    }

    /** The elements so far, in an array of exactly {@link #size} of the class the type calls for. */
    public Object toArray() {
        if (size == capacity) {
            return data;
        }
        Object exact = codec.newArray(size);
        System.arraycopy(data, 0, exact, 0, size);
        return exact;
    }
}
