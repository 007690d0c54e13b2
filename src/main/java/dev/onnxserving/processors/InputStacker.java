package dev.onnxserving.processors;

import dev.onnxserving.pipeline.ElementType;
import dev.onnxserving.pipeline.InvalidInputException;
import dev.onnxserving.pipeline.JsonKinds;
import dev.onnxserving.pipeline.JsonSchemas;
import dev.onnxserving.pipeline.Shapes;
import dev.onnxserving.pipeline.Tensor;
import dev.onnxserving.pipeline.TensorSpec;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Stacks the values that every instance gives for one model input into that input's tensor, following the rules
 * that {@link TensorPreprocessor} documents. Immutable and safe for concurrent use.
 */
final class InputStacker {

    private final String name;
    private final TensorSpec spec;
    private final ElementType type;
    /** The declared dims of one instance's value: the input's shape without its first dim, or [] for a scalar. */
    private final long[] row;
    /** -1 when instances stack along a dynamic first dim; otherwise how many instances a request must have. */
    private final long requiredInstances;

    InputStacker(TensorSpec spec) {
        this.name = spec.name();
        this.spec = spec;
        this.type = spec.type();
        long[] shape = spec.shape();
        this.row = shape.length == 0 ? shape : Arrays.copyOfRange(shape, 1, shape.length);
        this.requiredInstances = shape.length == 0 ? 1 : shape[0];
    }

    String name() {
        return name;
    }

    /** What one instance gives for this input, e.g. {@code FP32 [4]}. */
    String rowDescription() {
        return type.protocolName() + " " + Shapes.format(row);
    }

    /**
     * The JSON Schema of one instance's value: nested arrays of the row's dimensions, with what the declared first
     * dimension means for a request in its description.
     */
    Map<String, Object> schema() {
        Map<String, Object> schema = JsonSchemas.nested(type, row);
        String description = "input '" + name + "' " + spec.describe() + ", one instance's " + rowDescription();
        if (spec.rank() == 0) {
            description += ": a scalar, so a request takes exactly 1 instance";
        } else if (requiredInstances >= 0) {
            description += "; its first dimension is fixed, so a request takes exactly " + requiredInstances
                    + (requiredInstances == 1 ? " instance" : " instances");
        }
        if (Arrays.stream(row).anyMatch(dim -> dim < 0)) {
            description += "; every instance's dynamic dimensions must match the first instance's";
        }
        schema.put("description", description);
        return schema;
    }

    /** Zeros in the row's shape; empty when the row has dynamic dimensions or is too large to show. */
    Optional<Object> example() {
        return JsonSchemas.zeros(type, row);
    }

    /**
     * Checks the shape of every value before allocating, so the tensor is never larger than what the request really
     * holds, then converts the elements.
     *
     * @param values this input's value in each instance, in order, none of them null
     * @throws InvalidInputException at the first value that does not fit
     */
    Tensor stack(List<JsonNode> values) {
        int instances = values.size();
        checkInstanceCount(instances);
        long[] concreteRow = resolveRow(values.get(0));
        for (int instance = 0; instance < instances; instance++) {
            new RowReader(null, concreteRow, instance).read(values.get(instance), 0);
        }
        int rowElements = Shapes.elementCount(concreteRow);
        ElementSink sink = ElementSink.create(type, Math.multiplyExact(instances, rowElements));
        for (int instance = 0; instance < instances; instance++) {
            new RowReader(sink, concreteRow, instance).read(values.get(instance), instance * rowElements);
        }
        return Tensor.of(type, tensorShape(instances, concreteRow), sink.array());
    }

    private void checkInstanceCount(int instances) {
        if (requiredInstances >= 0 && instances != requiredInstances) {
            String why = spec.rank() == 0 ? " (a scalar)" : " with a fixed first dimension";
            throw InvalidInputException.at(
                    "/instances",
                    "input '" + name + "' is " + spec.describe() + why + ", so a request takes exactly "
                            + requiredInstances + (requiredInstances == 1 ? " instance" : " instances") + ", got "
                            + instances);
        }
    }

    /** Resolves dynamic dims from the first instance, following its first elements down. */
    private long[] resolveRow(JsonNode value) {
        long[] concrete = row.clone();
        JsonNode node = value;
        String pointer = pointer(0);
        for (int depth = 0; depth < concrete.length; depth++) {
            if (!node.isArray() || (concrete[depth] >= 0 && node.size() != concrete[depth])) {
                throw InvalidInputException.at(
                        pointer, expected(concrete, depth) + ", got " + JsonKinds.describe(node));
            }
            concrete[depth] = node.size();
            if (node.size() == 0) {
                for (int rest = depth + 1; rest < concrete.length; rest++) {
                    concrete[rest] = Math.max(concrete[rest], 0);
                }
                break;
            }
            node = node.get(0);
            pointer = JsonPointers.append(pointer, 0);
        }
        return concrete;
    }

    private long[] tensorShape(int instances, long[] concreteRow) {
        if (spec.rank() == 0) {
            return concreteRow;
        }
        long[] shape = new long[concreteRow.length + 1];
        shape[0] = instances;
        System.arraycopy(concreteRow, 0, shape, 1, concreteRow.length);
        return shape;
    }

    private String pointer(int instance) {
        return JsonPointers.append(JsonPointers.instance(instance), name);
    }

    private String expected(long[] dims, int depth) {
        return "expected " + type.protocolName() + " " + Shapes.format(Arrays.copyOfRange(dims, depth, dims.length));
    }

    /**
     * Walks one instance's value depth-first, checking its shape and, given a sink, storing its elements in row-major
     * order.
     */
    private final class RowReader {

        private final ElementSink sink;
        private final long[] dims;
        private final int instance;
        private final int[] path;
        private int offset;

        RowReader(ElementSink sink, long[] dims, int instance) {
            this.sink = sink;
            this.dims = dims;
            this.instance = instance;
            this.path = new int[dims.length];
        }

        void read(JsonNode value, int start) {
            offset = start;
            visit(value, 0);
        }

        private void visit(JsonNode node, int depth) {
            if (depth == dims.length) {
                if (sink == null) {
                    return;
                }
                String problem = sink.put(offset++, node);
                if (problem != null) {
                    throw InvalidInputException.at(pointer(depth), problem);
                }
                return;
            }
            if (!node.isArray() || node.size() != dims[depth]) {
                boolean disagreesWithFirst = instance > 0 && node.isArray() && row[depth] < 0;
                throw InvalidInputException.at(
                        pointer(depth),
                        expected(dims, depth) + (disagreesWithFirst ? " like instance 0" : "") + ", got "
                                + JsonKinds.describe(node));
            }
            for (int index = 0; index < node.size(); index++) {
                path[depth] = index;
                visit(node.get(index), depth + 1);
            }
        }

        private String pointer(int depth) {
            StringBuilder pointer = new StringBuilder(InputStacker.this.pointer(instance));
            for (int level = 0; level < depth; level++) {
                pointer.append('/').append(path[level]);
            }
            return pointer.toString();
        }
    }
}
