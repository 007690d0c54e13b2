package dev.onnxserving.processors;

import static dev.onnxserving.processors.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.onnxserving.pipeline.ElementType;
import java.lang.reflect.Array;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ElementSinkTests {

    static Stream<Arguments> acceptedValues() {
        return Stream.of(
                Arguments.of(ElementType.FP32, "1.5", new float[] {1.5f}),
                Arguments.of(ElementType.FP32, "-7", new float[] {-7f}),
                Arguments.of(ElementType.FP32, "0.1", new float[] {0.1f}),
                Arguments.of(ElementType.FP32, "1e-50", new float[] {0f}),
                Arguments.of(ElementType.FP64, "0.1", new double[] {0.1}),
                Arguments.of(ElementType.FP64, "1e308", new double[] {1e308}),
                Arguments.of(ElementType.FP16, "1.5", new short[] {0x3E00}),
                Arguments.of(ElementType.FP16, "-2.25", new short[] {(short) 0xC080}),
                Arguments.of(ElementType.FP16, "65519", new short[] {0x7BFF}),
                Arguments.of(ElementType.INT8, "-128", new byte[] {-128}),
                Arguments.of(ElementType.INT8, "127", new byte[] {127}),
                Arguments.of(ElementType.INT8, "3.0", new byte[] {3}),
                Arguments.of(ElementType.UINT8, "0", new byte[] {0}),
                Arguments.of(ElementType.UINT8, "255", new byte[] {(byte) 0xFF}),
                Arguments.of(ElementType.INT16, "-32768", new short[] {Short.MIN_VALUE}),
                Arguments.of(ElementType.INT16, "32767", new short[] {Short.MAX_VALUE}),
                Arguments.of(ElementType.INT32, "-2147483648", new int[] {Integer.MIN_VALUE}),
                Arguments.of(ElementType.INT32, "2147483647", new int[] {Integer.MAX_VALUE}),
                Arguments.of(ElementType.INT32, "1e3", new int[] {1000}),
                Arguments.of(ElementType.INT64, "9223372036854775807", new long[] {Long.MAX_VALUE}),
                Arguments.of(ElementType.INT64, "-9223372036854775808", new long[] {Long.MIN_VALUE}),
                Arguments.of(ElementType.INT64, "9007199254740993", new long[] {9007199254740993L}),
                Arguments.of(ElementType.BOOL, "true", new byte[] {1}),
                Arguments.of(ElementType.BOOL, "false", new byte[] {0}),
                Arguments.of(ElementType.STRING, "'héllo'", new String[] {"héllo"}),
                Arguments.of(ElementType.STRING, "''", new String[] {""}));
    }

    @ParameterizedTest(name = "{0} takes {1}")
    @MethodSource("acceptedValues")
    void storesValuesThatFitTheType(ElementType type, String value, Object expected) {
        ElementSink sink = ElementSink.create(type, 1);

        assertThat(sink.put(0, json(value))).isNull();
        assertThat(sink.array()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} rejects {1}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "FP32   | 'NaN'                | expected an FP32 number, got the string \"NaN\"",
                "FP32   | true                 | expected an FP32 number, got the boolean true",
                "FP32   | null                 | expected an FP32 number, got null",
                "FP32   | [1]                  | expected an FP32 number, got an array of 1",
                "FP32   | {}                   | expected an FP32 number, got an object",
                "FP32   | 1e39                 | expected an FP32 number within ±3.4028235E38, got the number 1.0E39",
                "FP64   | '1.5'                | expected an FP64 number, got the string \"1.5\"",
                "FP16   | 65520                | expected an FP16 number within ±65504, got the number 65520",
                "FP16   | -70000.5             | expected an FP16 number within ±65504, got the number -70000.5",
                "INT8   | 128                  | expected an INT8 integer from -128 to 127, got the number 128",
                "INT8   | -129                 | expected an INT8 integer from -128 to 127, got the number -129",
                "INT8   | 2.5                  | expected an INT8 integer, got the number 2.5",
                "UINT8  | 256                  | expected a UINT8 integer from 0 to 255, got the number 256",
                "UINT8  | -1                   | expected a UINT8 integer from 0 to 255, got the number -1",
                "INT16  | 32768                | expected an INT16 integer from -32768 to 32767, got the number 32768",
                "INT32  | 2147483648           | expected an INT32 integer from -2147483648 to 2147483647, got the number 2147483648",
                "INT32  | '7'                  | expected an INT32 integer, got the string \"7\"",
                "INT64  | 9223372036854775808  | expected an INT64 integer from -9223372036854775808 to 9223372036854775807, got the number 9223372036854775808",
                "INT64  | 1e19                 | expected an INT64 integer from -9223372036854775808 to 9223372036854775807, got the number 1.0E19",
                "INT64  | 0.5                  | expected an INT64 integer, got the number 0.5",
                "BOOL   | 1                    | expected a boolean, got the number 1",
                "BOOL   | 'true'               | expected a boolean, got the string \"true\"",
                "STRING | 1                    | expected a string, got the number 1",
                "STRING | null                 | expected a string, got null",
            })
    void describesValuesThatDoNotFit(ElementType type, String value, String detail) {
        ElementSink sink = ElementSink.create(type, 1);

        assertThat(sink.put(0, json(value))).isEqualTo(detail);
    }

    @ParameterizedTest(name = "{0} rejects {1}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "INT32 | 2.50   | expected an INT32 integer, got the number 2.50",
                "INT32 | 1E+30  | expected an INT32 integer from -2147483648 to 2147483647, got the number 1E+30",
                "INT64 | 1E+19  | expected an INT64 integer from -9223372036854775808 to 9223372036854775807, got the number 1E+19",
            })
    void checksDecimalsExactlyWhenJsonIsReadAsBigDecimal(ElementType type, String value, String detail) {
        ElementSink sink = ElementSink.create(type, 1);

        assertThat(sink.put(0, bigDecimal(value))).isEqualTo(detail);
    }

    @ParameterizedTest(name = "{0} takes {1}")
    @CsvSource({"INT32, 3.00, 3", "INT32, 0.0, 0", "INT64, 9007199254740993.0, 9007199254740993"})
    void takesIntegralDecimalsWhenJsonIsReadAsBigDecimal(ElementType type, String value, long expected) {
        ElementSink sink = ElementSink.create(type, 1);

        assertThat(sink.put(0, bigDecimal(value))).isNull();
        assertThat(Array.getLong(sink.array(), 0)).isEqualTo(expected);
    }

    private static JsonNode bigDecimal(String value) {
        JsonMapper mapper = JsonMapper.builder()
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .build();
        JsonNode node = mapper.readTree(value);
        assertThat(node.isBigDecimal() || node.isIntegralNumber()).isTrue();
        return node;
    }
}
