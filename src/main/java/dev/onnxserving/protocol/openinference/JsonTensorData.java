package dev.onnxserving.protocol.openinference;

import dev.onnxserving.pipeline.ElementBuffer;
import dev.onnxserving.pipeline.ElementType;
import dev.onnxserving.pipeline.InvalidInputException;
import dev.onnxserving.pipeline.JsonScalar;
import dev.onnxserving.pipeline.Shapes;
import java.util.Arrays;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * Reads one input's {@code data}: a JSON array of scalars, flat ({@code [1,2,3,4]}) or nested
 * ({@code [[1,2],[3,4]]}), straight into a primitive array in row-major order. Nested arrays must be regular
 * (every array at one depth as long as the others, every scalar at the same depth); whether they fit the input's
 * shape is {@link Parsed#check}'s job, once the shape is known.
 */
final class JsonTensorData {

    /**
     * What one {@code data} array held.
     *
     * @param array the elements, of the array class the element type calls for
     * @param count how many elements
     * @param nesting the lengths of the nested arrays by depth: {@code [4]} for flat data, {@code [2,2]} for
     *     {@code [[1,2],[3,4]]}
     */
    record Parsed(Object array, int count, long[] nesting) {

        /** @throws InvalidInputException when the elements do not fill {@code shape}, or are nested otherwise */
        void check(long[] shape, String where) {
            int expected = Shapes.elementCount(shape);
            if (nesting.length > 1 && !Arrays.equals(nesting, shape)) {
                throw new InvalidInputException(where + ": data is nested as " + Shapes.format(nesting)
                        + ", which is not shape " + Shapes.format(shape)
                        + "; send it flat or nested exactly as the shape");
            }
            if (count != expected) {
                throw new InvalidInputException(where + ": shape " + Shapes.format(shape) + " holds " + expected
                        + (expected == 1 ? " element" : " elements") + ", data has " + count);
            }
        }
    }

    private JsonTensorData() {}

    /**
     * Reads the array the parser is on (its current token) up to and including its end.
     *
     * @param capacity how many elements to expect, or 0 when unknown; only sizes the first allocation
     * @param where how to name the input in messages, e.g. {@code input 'x'}
     */
    static Parsed read(JsonParser parser, ElementType type, int capacity, String where) {
        JsonToken token = parser.currentToken();
        if (token != JsonToken.START_ARRAY) {
            throw new InvalidInputException(where + ": expected data to be an array of " + type.protocolName()
                    + " values, got " + JsonScalar.describe(parser, token));
        }
        ElementBuffer buffer = new ElementBuffer(type, capacity > 0 ? capacity : ElementBuffer.MIN_CAPACITY);
        JsonScalar.OfParser scalar = JsonScalar.of(parser);
        long[] lengths = new long[8];
        int[] counts = new int[8];
        Arrays.fill(lengths, -1);
        int depth = 0;
        int deepest = 0;
        int leafDepth = -1;
        while (true) {
            token = parser.nextToken();
            if (token == JsonToken.START_ARRAY) {
                if (leafDepth >= 0 && depth + 1 >= leafDepth) {
                    throw irregular(where, leafDepth, depth + 2);
                }
                counts[depth]++;
                depth++;
                if (depth == counts.length) {
                    counts = Arrays.copyOf(counts, depth * 2);
                    lengths = Arrays.copyOf(lengths, depth * 2);
                    Arrays.fill(lengths, depth, depth * 2, -1);
                }
                counts[depth] = 0;
                deepest = Math.max(deepest, depth);
            } else if (token == JsonToken.END_ARRAY) {
                if (lengths[depth] < 0) {
                    lengths[depth] = counts[depth];
                } else if (lengths[depth] != counts[depth]) {
                    throw new InvalidInputException(where + ": data is ragged: arrays at depth " + (depth + 1)
                            + " have " + lengths[depth] + " and " + counts[depth] + " elements");
                }
                if (depth == 0) {
                    break;
                }
                depth--;
            } else {
                if (leafDepth < 0) {
                    leafDepth = depth + 1;
                } else if (leafDepth != depth + 1) {
                    throw irregular(where, leafDepth, depth + 1);
                }
                String problem = buffer.add(scalar.at(token));
                if (problem != null) {
                    throw new InvalidInputException(where + ": data element " + buffer.size() + ": " + problem);
                }
                counts[depth]++;
            }
        }
        int levels = leafDepth < 0 ? deepest + 1 : leafDepth;
        return new Parsed(buffer.toArray(), buffer.size(), Arrays.copyOf(lengths, levels));
    }

    private static InvalidInputException irregular(String where, int depth, int otherDepth) {
        return new InvalidInputException(where + ": data nests irregularly: values at depth " + depth + " and at depth "
                + otherDepth + "; every value must be at the same depth");
    }
}
