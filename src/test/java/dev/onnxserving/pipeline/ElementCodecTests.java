package dev.onnxserving.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

/** The codec table: every datatype's JSON coercion, the same from a token stream and from a tree; its encodings. */
class ElementCodecTests {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    /** What the codec does with {@code json} read through the streaming parser: the expectation, or null. */
    private static String fromTokens(ElementCodec codec, String json, Object array) {
        try (JsonParser parser = MAPPER.createParser(json)) {
            JsonToken token = parser.nextToken();
            return codec.coerce(JsonScalar.of(parser).at(token), array, 0);
        }
    }

    private static String fromTree(ElementCodec codec, String json, Object array) {
        return codec.coerce(JsonScalar.ofNodes().at(MAPPER.readTree(json)), array, 0);
    }

    static Stream<Arguments> accepted() {
        return Stream.of(
                Arguments.of(ElementType.FP32, "1.5", new float[] {1.5f}),
                Arguments.of(ElementType.FP32, "-7", new float[] {-7f}),
                Arguments.of(ElementType.FP32, "1e-50", new float[] {0f}),
                Arguments.of(ElementType.FP64, "0.1", new double[] {0.1}),
                Arguments.of(ElementType.FP64, "-1e308", new double[] {-1e308}),
                Arguments.of(ElementType.FP16, "1.5", new short[] {0x3E00}),
                Arguments.of(ElementType.FP16, "65504", new short[] {0x7BFF}),
                Arguments.of(ElementType.FP16, "65519", new short[] {0x7BFF}),
                Arguments.of(ElementType.FP16, "0.1", new short[] {0x2E66}),
                Arguments.of(ElementType.FP16, "1e-8", new short[] {0}),
                Arguments.of(ElementType.FP16, "2049", new short[] {0x6800}),
                Arguments.of(ElementType.FP16, "2051", new short[] {0x6802}),
                Arguments.of(ElementType.FP16, "-0.0", new short[] {(short) 0x8000}),
                Arguments.of(ElementType.INT8, "-128", new byte[] {-128}),
                Arguments.of(ElementType.INT8, "127.0", new byte[] {127}),
                Arguments.of(ElementType.UINT8, "255", new byte[] {(byte) 255}),
                Arguments.of(ElementType.INT16, "-32768", new short[] {Short.MIN_VALUE}),
                Arguments.of(ElementType.INT32, "2147483647", new int[] {Integer.MAX_VALUE}),
                Arguments.of(ElementType.INT32, "1e3", new int[] {1000}),
                Arguments.of(ElementType.INT64, "-9223372036854775808", new long[] {Long.MIN_VALUE}),
                Arguments.of(ElementType.INT64, "9007199254740993", new long[] {9007199254740993L}),
                Arguments.of(ElementType.BOOL, "true", new byte[] {1}),
                Arguments.of(ElementType.BOOL, "false", new byte[] {0}),
                Arguments.of(ElementType.STRING, "\"héllo\"", new String[] {"héllo"}));
    }

    @ParameterizedTest(name = "{0} takes {1}")
    @MethodSource("accepted")
    void storesTheSameElementFromTokensAndFromATree(ElementType type, String json, Object expected) {
        ElementCodec codec = type.codec();
        Object tokens = codec.newArray(1);
        Object tree = codec.newArray(1);

        assertThat(fromTokens(codec, json, tokens)).isNull();
        assertThat(fromTree(codec, json, tree)).isNull();
        assertThat(tokens).isEqualTo(expected);
        assertThat(tree).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} refuses {1}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "FP32   | 1e39                 | expected an FP32 number within ±3.4028235E38",
                "FP32   | \"1.5\"              | expected an FP32 number",
                "FP32   | true                 | expected an FP32 number",
                "FP64   | 1e309                | expected an FP64 number within ±1.7976931348623157E308",
                "FP64   | null                 | expected an FP64 number",
                "FP16   | 65520                | expected an FP16 number within ±65504",
                "FP16   | -1e5                 | expected an FP16 number within ±65504",
                "INT8   | 128                  | expected an INT8 integer from -128 to 127",
                "INT8   | 2.5                  | expected an INT8 integer",
                "UINT8  | -1                   | expected a UINT8 integer from 0 to 255",
                "UINT8  | 256.0                | expected a UINT8 integer from 0 to 255",
                "INT16  | 32768                | expected an INT16 integer from -32768 to 32767",
                "INT32  | -2147483649          | expected an INT32 integer from -2147483648 to 2147483647",
                "INT32  | \"7\"                | expected an INT32 integer",
                "INT64  | 9223372036854775808  | expected an INT64 integer from -9223372036854775808 to 9223372036854775807",
                "INT64  | 1e19                 | expected an INT64 integer from -9223372036854775808 to 9223372036854775807",
                "INT64  | 0.5                  | expected an INT64 integer",
                "BOOL   | 1                    | expected a boolean",
                "BOOL   | 0                    | expected a boolean",
                "BOOL   | \"true\"             | expected a boolean",
                "STRING | 1                    | expected a string",
                "STRING | {}                   | expected a string",
            })
    void refusesTheSameValuesFromTokensAndFromATree(ElementType type, String json, String expectation) {
        ElementCodec codec = type.codec();

        assertThat(fromTokens(codec, json, codec.newArray(1))).isEqualTo(expectation);
        assertThat(fromTree(codec, json, codec.newArray(1))).isEqualTo(expectation);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "FP32 | \"x\" | expected an FP32 number, got \"x\" | expected an FP32 number, got the string \"x\"",
                "BOOL | 1     | expected a boolean, got 1          | expected a boolean, got the number 1",
            })
    void storeSaysWhatCameInTheWordsOfItsSource(ElementType type, String json, String tokens, String tree) {
        ElementCodec codec = type.codec();
        try (JsonParser parser = MAPPER.createParser(json)) {
            JsonToken token = parser.nextToken();
            assertThat(codec.store(JsonScalar.of(parser).at(token), codec.newArray(1), 0))
                    .isEqualTo(tokens);
        }
        assertThat(codec.store(JsonScalar.ofNodes().at(MAPPER.readTree(json)), codec.newArray(1), 0))
                .isEqualTo(tree);
    }

    static Stream<Arguments> samples() {
        return Stream.of(
                Arguments.of(ElementType.FP32, new float[] {1.5f, -0f, Float.MAX_VALUE}, "[1.5,-0.0,3.4028235E38]"),
                Arguments.of(ElementType.FP64, new double[] {0.1, -2.5, 1e-300}, "[0.1,-2.5,1.0E-300]"),
                Arguments.of(ElementType.FP16, new short[] {0x3E00, (short) 0xC000, 0x7BFF}, "[1.5,-2.0,65504.0]"),
                Arguments.of(ElementType.INT64, new long[] {Long.MIN_VALUE, 0, 7}, "[-9223372036854775808,0,7]"),
                Arguments.of(ElementType.INT32, new int[] {-1, 0, Integer.MAX_VALUE}, "[-1,0,2147483647]"),
                Arguments.of(ElementType.INT16, new short[] {Short.MIN_VALUE, 0, 3}, "[-32768,0,3]"),
                Arguments.of(ElementType.INT8, new byte[] {-128, 0, 127}, "[-128,0,127]"),
                Arguments.of(ElementType.UINT8, new byte[] {0, (byte) 200, (byte) 255}, "[0,200,255]"),
                Arguments.of(ElementType.BOOL, new byte[] {1, 0, 1}, "[true,false,true]"),
                Arguments.of(ElementType.STRING, new String[] {"", "a", "é"}, "[\"\",\"a\",\"é\"]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void writesJsonThatReadsBackToTheSameElements(ElementType type, Object array, String json) {
        ElementCodec codec = type.codec();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator generator = MAPPER.createGenerator(out)) {
            codec.writeJson(generator, array, Array.getLength(array));
        }

        assertThat(out.toString(java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(json);
        assertThat(MAPPER.writeValueAsString(codec.jsonValues(array, 0, Array.getLength(array))))
                .isEqualTo(json);
        var tree = MAPPER.readTree(json);
        assertThat(MAPPER.writeValueAsString(codec.jsonValues(array, 1, 2)))
                .isEqualTo("[" + tree.get(1) + "," + tree.get(2) + "]");
        assertThat(MAPPER.writeValueAsString(codec.jsonValue(array, 2)))
                .isEqualTo(MAPPER.readTree(json).get(2).toString());
        ElementBuffer buffer = new ElementBuffer(type, 0);
        for (var element : MAPPER.readTree(json)) {
            assertThat(buffer.add(JsonScalar.ofNodes().at(element))).isNull();
        }
        assertThat(buffer.toArray()).isEqualTo(array);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void readsBackTheLittleEndianBytesItWrites(ElementType type, Object array, String json) {
        ElementCodec codec = type.codec();
        if (type == ElementType.STRING) {
            assertThatThrownBy(() -> codec.writeBinary(array, ByteBuffer.allocate(8)))
                    .isInstanceOf(IllegalArgumentException.class);
            return;
        }
        ByteBuffer bytes = ByteBuffer.allocate(2 + 3 * type.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        bytes.position(2);
        codec.writeBinary(array, bytes);
        assertThat(bytes.remaining()).isZero();
        bytes.position(2);
        Object decoded = codec.newArray(3);

        codec.readBinary(bytes, decoded);

        assertThat(decoded).isEqualTo(array);
        assertThat(bytes.remaining()).isZero();
        assertThat(bytes.order(ByteOrder.LITTLE_ENDIAN).get(2 + type.byteSize() - 1))
                .as("the first element's most significant byte comes last")
                .isEqualTo(littleEndianLastByte(codec, array));
    }

    private static byte littleEndianLastByte(ElementCodec codec, Object array) {
        ByteBuffer big = ByteBuffer.allocate(codec.type().byteSize()).order(ByteOrder.BIG_ENDIAN);
        Object first = codec.newArray(1);
        System.arraycopy(array, 0, first, 0, 1);
        codec.writeBinary(first, big);
        return big.get(0);
    }

    @ParameterizedTest
    @CsvSource({"FP32, 2.5, 2.5", "FP16, -1.5, -1.5", "INT32, 7, 7", "UINT8, 200, 200", "BOOL, 1, 1", "INT8, -3, -3"})
    void fillsWithAValueAndWidensItBack(ElementType type, double value, double widened) {
        ElementCodec codec = type.codec();
        Object array = codec.newArray(3);

        codec.fill(array, value);

        for (int index = 0; index < 3; index++) {
            assertThat(codec.getAsDouble(array, index)).isEqualTo(widened);
        }
    }

    @ParameterizedTest
    @EnumSource(ElementType.class)
    void everyTypeHasOneCodecWhoseArrayClassIsTheTensors(ElementType type) {
        ElementCodec codec = type.codec();

        assertThat(codec.type()).isEqualTo(type);
        assertThat(codec.newArray(2)).isInstanceOf(codec.arrayClass());
        assertThat(Tensor.zeros(type, new long[] {2}).data()).isInstanceOf(codec.arrayClass());
        assertThat(codec.element()).matches("an? .+");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ElementType.class, names = "STRING", mode = EnumSource.Mode.EXCLUDE)
    void fillsEveryElementOfAnyLengthWithTheValueAsTheTypeHoldsIt(ElementType type) {
        ElementCodec codec = type.codec();
        for (int length : new int[] {0, 1, 2, 7, 33}) {
            Object array = codec.newArray(length);
            codec.fill(array, 3);
            for (int index = 0; index < length; index++) {
                assertThat(codec.getAsDouble(array, index))
                        .as("%s[%d] of %d", type, index, length)
                        .isEqualTo(type == ElementType.BOOL ? 1 : 3);
            }
        }
    }
}
