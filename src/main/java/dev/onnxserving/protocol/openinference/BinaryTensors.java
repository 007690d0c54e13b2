package dev.onnxserving.protocol.openinference;

import dev.onnxserving.pipeline.ElementType;
import dev.onnxserving.pipeline.InvalidInputException;
import dev.onnxserving.pipeline.Shapes;
import dev.onnxserving.pipeline.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The binary tensor data extension's encoding: little-endian, row-major, no padding; BOOL one byte (0 or 1); each
 * BYTES element a 4-byte little-endian length followed by that many bytes (UTF-8 text here, as string tensors hold).
 */
final class BinaryTensors {

    private static final int LENGTH_PREFIX = 4;
    private static final int MIN_STRINGS = 16;

    private BinaryTensors() {}

    /**
     * Decodes one tensor from exactly {@code length} bytes of {@code body} at {@code offset}; never reads outside
     * that range.
     *
     * @throws InvalidInputException when the bytes do not hold exactly the elements {@code shape} calls for
     */
    static Tensor decode(ElementType type, long[] shape, byte[] body, int offset, int length, String where) {
        int count = Shapes.elementCount(shape);
        if (type == ElementType.STRING) {
            return Tensor.of(type, shape, strings(count, body, offset, length, where));
        }
        long needed = (long) count * type.byteSize();
        if (needed != length) {
            throw new InvalidInputException(where + ": binary_data_size is " + length + ", but " + type.protocolName()
                    + " " + Shapes.format(shape) + " takes " + needed + " bytes");
        }
        Object data = type.codec().newArray(count);
        type.codec().readBinary(ByteBuffer.wrap(body, offset, length).order(ByteOrder.LITTLE_ENDIAN), data);
        if (type == ElementType.BOOL) {
            checkBooleans((byte[]) data, where);
        }
        return Tensor.of(type, shape, data);
    }

    private static void checkBooleans(byte[] values, String where) {
        for (int index = 0; index < values.length; index++) {
            if (values[index] != 0 && values[index] != 1) {
                throw new InvalidInputException(where + ": BOOL element " + index + " is the byte "
                        + Byte.toUnsignedInt(values[index]) + "; expected 0 or 1");
            }
        }
    }

    /**
     * Decodes BYTES elements from exactly {@code length} bytes of {@code body} at {@code offset}: {@code count} of
     * them, or as many as the bytes hold when {@code count} is -1 (a raw binary body, whose size names the body).
     */
    static String[] strings(int count, byte[] body, int offset, int length, String where) {
        boolean counted = count >= 0;
        String[] values = new String[counted ? count : MIN_STRINGS];
        ByteBuffer bytes = ByteBuffer.wrap(body, offset, length).order(ByteOrder.LITTLE_ENDIAN);
        CharsetDecoder utf8 = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        int index = 0;
        for (; counted ? index < count : bytes.hasRemaining(); index++) {
            if (bytes.remaining() < LENGTH_PREFIX) {
                throw new InvalidInputException(where + ": " + (counted ? "binary_data_size " : "the body of ") + length
                        + (counted ? "" : " bytes") + " ends inside BYTES element " + index
                        + (counted ? " of " + count : "") + " (its 4-byte length is cut off)");
            }
            long size = Integer.toUnsignedLong(bytes.getInt());
            if (size > bytes.remaining()) {
                throw new InvalidInputException(where + ": BYTES element " + index + " declares " + size
                        + " bytes, but only " + bytes.remaining() + " of the "
                        + (counted ? "input's binary_data_size" : "body's bytes") + " remain");
            }
            ByteBuffer element = bytes.slice(bytes.position(), (int) size);
            bytes.position(bytes.position() + (int) size);
            if (index == values.length) {
                values = Arrays.copyOf(values, index * 2);
            }
            try {
                values[index] = utf8.decode(element).toString();
            } catch (CharacterCodingException e) {
                throw new InvalidInputException(where + ": BYTES element " + index + " is not valid UTF-8 text");
            }
        }
        if (bytes.hasRemaining()) {
            throw new InvalidInputException(where + ": binary_data_size is " + length + ", but its " + count
                    + " BYTES elements take " + (length - bytes.remaining()) + " bytes");
        }
        return index == values.length ? values : Arrays.copyOf(values, index);
    }

    /** The tensor's elements in the extension's encoding. */
    static byte[] encode(Tensor tensor) {
        if (tensor.type() == ElementType.STRING) {
            return encodeStrings(tensor.strings());
        }
        int size = Math.multiplyExact(tensor.elementCount(), tensor.type().byteSize());
        ByteBuffer bytes = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        tensor.type().codec().writeBinary(tensor.data(), bytes);
        return bytes.array();
    }

    private static byte[] encodeStrings(String[] values) {
        byte[][] texts = new byte[values.length][];
        int size = 0;
        for (int index = 0; index < values.length; index++) {
            texts[index] = values[index].getBytes(StandardCharsets.UTF_8);
            size = Math.addExact(size, LENGTH_PREFIX + texts[index].length);
        }
        ByteBuffer bytes = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        for (byte[] text : texts) {
            bytes.putInt(text.length).put(text);
        }
        return bytes.array();
    }
}
