package dev.onnxserving.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The binary tensor data extension as a client implements it from the specification alone: a JSON object, then
 * raw little-endian tensor bytes; {@code Inference-Header-Content-Length} gives the JSON's length.
 */
public final class V2Binary {

    public static final String HEADER_LENGTH = "Inference-Header-Content-Length";

    private V2Binary() {}

    /** A request body: {@code json} followed by {@code binaries} in order. */
    public record Body(byte[] bytes, int jsonLength) {
        public Map<String, String> headers(String contentType) {
            return Map.of("Content-Type", contentType, HEADER_LENGTH, Integer.toString(jsonLength));
        }
    }

    public static Body body(Object json, List<byte[]> binaries) {
        byte[] header = Http.JSON.writeValueAsBytes(json);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header);
        binaries.forEach(out::writeBytes);
        return new Body(out.toByteArray(), header.length);
    }

    /** A decoded response: its JSON part and each binary output's bytes by name. */
    public record Decoded(JsonNode json, Map<String, byte[]> binaries) {}

    public static Decoded decode(Http.Response response) {
        String header = response.header(HEADER_LENGTH);
        if (header == null) {
            return new Decoded(response.json(), Map.of());
        }
        int jsonLength = Integer.parseInt(header);
        byte[] body = response.body();
        JsonNode json = Http.JSON.readTree(Arrays.copyOfRange(body, 0, jsonLength));
        Map<String, byte[]> binaries = new LinkedHashMap<>();
        int position = jsonLength;
        for (JsonNode output : json.get("outputs")) {
            JsonNode size = output.path("parameters").path("binary_data_size");
            if (!size.isMissingNode()) {
                binaries.put(
                        output.get("name").asString(), Arrays.copyOfRange(body, position, position + size.asInt()));
                position += size.asInt();
            }
        }
        if (position != body.length) {
            throw new AssertionError("binary outputs take " + (position - jsonLength) + " bytes, "
                    + (body.length - jsonLength) + " follow the JSON");
        }
        return new Decoded(json, binaries);
    }

    public static ByteBuffer little(int capacity) {
        return ByteBuffer.allocate(capacity).order(ByteOrder.LITTLE_ENDIAN);
    }

    public static byte[] floats(float... values) {
        ByteBuffer buffer = little(values.length * 4);
        for (float value : values) {
            buffer.putFloat(value);
        }
        return buffer.array();
    }

    public static byte[] doubles(double... values) {
        ByteBuffer buffer = little(values.length * 8);
        for (double value : values) {
            buffer.putDouble(value);
        }
        return buffer.array();
    }

    public static byte[] longs(long... values) {
        ByteBuffer buffer = little(values.length * 8);
        for (long value : values) {
            buffer.putLong(value);
        }
        return buffer.array();
    }

    public static byte[] ints(int... values) {
        ByteBuffer buffer = little(values.length * 4);
        for (int value : values) {
            buffer.putInt(value);
        }
        return buffer.array();
    }

    public static byte[] shorts(int... values) {
        ByteBuffer buffer = little(values.length * 2);
        for (int value : values) {
            buffer.putShort((short) value);
        }
        return buffer.array();
    }

    public static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int index = 0; index < values.length; index++) {
            bytes[index] = (byte) values[index];
        }
        return bytes;
    }

    /** BYTES elements: each a 4-byte little-endian length, then its UTF-8 bytes. */
    public static byte[] strings(String... values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String value : values) {
            byte[] text = value.getBytes(StandardCharsets.UTF_8);
            out.writeBytes(little(4).putInt(text.length).array());
            out.writeBytes(text);
        }
        return out.toByteArray();
    }
}
