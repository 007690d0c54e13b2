package dev.onnxserving.web.openinference;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds v2 request bodies as plain maps, the way a client reading the specification would. */
final class V2Requests {

    private V2Requests() {}

    static Map<String, Object> input(String name, String datatype, List<Integer> shape, Object data) {
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("name", name);
        input.put("shape", shape);
        input.put("datatype", datatype);
        input.put("data", data);
        return input;
    }

    static Map<String, Object> binaryInput(String name, String datatype, List<Integer> shape, int size) {
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("name", name);
        input.put("shape", shape);
        input.put("datatype", datatype);
        input.put("parameters", Map.of("binary_data_size", size));
        return input;
    }

    static Map<String, Object> request(List<Map<String, Object>> inputs) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("inputs", inputs);
        return request;
    }

    /** The dtypes test model's inputs: two rows of every element type, edge values included. */
    static List<Map<String, Object>> dtypesInputs() {
        List<Integer> shape = List.of(2, 2);
        return List.of(
                input("f32", "FP32", shape, List.of(1.5, -2.25, 0.0, 3.0)),
                input("f64", "FP64", shape, List.of(1.5, -2.25, 0.1, 3.0)),
                input("f16", "FP16", shape, List.of(1.5, -2.25, 0.0, 3.0)),
                input("i8", "INT8", shape, List.of(-128, 127, 0, 1)),
                input("i16", "INT16", shape, List.of(-32768, 32767, 0, 1)),
                input("i32", "INT32", shape, List.of(Integer.MIN_VALUE, Integer.MAX_VALUE, 0, 1)),
                input("i64", "INT64", shape, List.of(-5L, 9007199254740993L, 0L, Long.MAX_VALUE - 1)),
                input("u8", "UINT8", shape, List.of(0, 255, 1, 2)),
                input("b", "BOOL", shape, List.of(true, false, false, true)),
                input("s", "BYTES", shape, List.of("a", "héllo", "", "x y")));
    }
}
