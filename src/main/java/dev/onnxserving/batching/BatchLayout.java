package dev.onnxserving.batching;

import dev.onnxserving.pipeline.ModelSignature;
import dev.onnxserving.pipeline.Tensor;
import dev.onnxserving.pipeline.TensorSpec;
import dev.onnxserving.pipeline.Tensors;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the inputs of several requests join into one batch and how each output splits back.
 *
 * <p>Joining: each input's requests are stacked along dimension 0; every other dimension takes the largest size any
 * request has, and the positions a request does not fill hold the input's pad value.
 *
 * <p>Splitting: each request gets its own rows. An output dimension after the first is cut back only when the model
 * declares it dynamic and its size in the batch equals the padded size of a dynamic input dimension; it is then cut
 * to the size that request had on that input dimension. So {@code last_hidden_state [b, seq, 384]} of a batch padded
 * to {@code seq} 12 goes back to a request of 7 tokens as {@code [1, 7, 384]}, while the fixed 384 is never cut.
 * {@link #accepts} keeps this unambiguous: it never lets into one batch a request whose own sizes differ on two
 * dynamic input dimensions that the batch pads to the same size.
 */
final class BatchLayout {

    private final ModelSignature signature;
    private final Map<String, long[]> rowShapes;
    /** Padded size of a dynamic input dimension to one such dimension, as {input, axis}. */
    private final Map<Long, DimensionRef> byPaddedSize;

    private record DimensionRef(String input, int axis) {}

    private BatchLayout(ModelSignature signature, Map<String, long[]> rowShapes, Map<Long, DimensionRef> bySize) {
        this.signature = signature;
        this.rowShapes = rowShapes;
        this.byPaddedSize = bySize;
    }

    /** The layout of a batch of {@code requests}, each holding every model input. */
    static BatchLayout of(ModelSignature signature, List<Tensors> requests) {
        Map<String, long[]> rowShapes = new LinkedHashMap<>();
        for (TensorSpec input : signature.inputs()) {
            long[] row = null;
            for (Tensors request : requests) {
                long[] own = request.get(input.name()).shape();
                if (row == null) {
                    row = Stacking.rowShape(own);
                } else {
                    for (int axis = 1; axis < own.length; axis++) {
                        row[axis - 1] = Math.max(row[axis - 1], own[axis]);
                    }
                }
            }
            rowShapes.put(input.name(), row);
        }
        Map<Long, DimensionRef> bySize = new HashMap<>();
        for (TensorSpec input : signature.inputs()) {
            for (int axis = 1; axis < input.rank(); axis++) {
                if (input.dim(axis) < 0) {
                    bySize.putIfAbsent(rowShapes.get(input.name())[axis - 1], new DimensionRef(input.name(), axis));
                }
            }
        }
        return new BatchLayout(signature, rowShapes, bySize);
    }

    /**
     * Whether {@code candidate} may join a batch of {@code members}: with {@code padding}, when the joined layout
     * stays unambiguous (see the class comment); without it, when its inputs have the members' shapes apart from
     * the first dimension.
     */
    static boolean accepts(ModelSignature signature, List<Tensors> members, Tensors candidate, boolean padding) {
        Tensors first = members.get(0);
        if (!padding) {
            for (TensorSpec input : signature.inputs()) {
                long[] a = first.get(input.name()).shape();
                long[] b = candidate.get(input.name()).shape();
                if (!java.util.Arrays.equals(a, 1, a.length, b, 1, b.length)) {
                    return false;
                }
            }
            return true;
        }
        List<Tensors> joined = new ArrayList<>(members.size() + 1);
        joined.addAll(members);
        joined.add(candidate);
        BatchLayout layout = of(signature, joined);
        for (Tensors request : joined) {
            Map<Long, Long> ownBySize = new HashMap<>();
            for (TensorSpec input : signature.inputs()) {
                long[] padded = layout.rowShapes.get(input.name());
                long[] own = request.get(input.name()).shape();
                for (int axis = 1; axis < input.rank(); axis++) {
                    if (input.dim(axis) < 0) {
                        Long previous = ownBySize.putIfAbsent(padded[axis - 1], own[axis]);
                        if (previous != null && previous != own[axis]) {
                            return false;
                        }
                    }
                }
            }
        }
        return true;
    }

    /** The batch's inputs: every request's rows in order, padded with {@code settings}' pad values. */
    Tensors join(List<Tensors> requests, BatchingSettings settings) {
        Map<String, Tensor> joined = new LinkedHashMap<>();
        for (TensorSpec input : signature.inputs()) {
            List<Tensor> parts = new ArrayList<>(requests.size());
            for (Tensors request : requests) {
                parts.add(request.get(input.name()));
            }
            joined.put(
                    input.name(), Stacking.concat(parts, rowShapes.get(input.name()), settings.padValue(input.name())));
        }
        return Tensors.of(joined);
    }

    /**
     * The part of {@code output} (the whole batch's) that belongs to {@code request}: rows {@code [firstRow,
     * firstRow + rows)}, with padded dimensions cut back as the class comment says.
     */
    Tensor split(String name, Tensor output, Tensors request, int firstRow, int rows) {
        long[] row = Stacking.rowShape(output.shape());
        TensorSpec spec = signature.output(name).orElse(null);
        for (int axis = 1; axis < output.rank(); axis++) {
            boolean dynamic = spec == null || spec.rank() != output.rank() || spec.dim(axis) < 0;
            DimensionRef padded = dynamic ? byPaddedSize.get(output.dim(axis)) : null;
            if (padded != null) {
                row[axis - 1] = request.get(padded.input()).dim(padded.axis());
            }
        }
        return Stacking.slice(output, firstRow, rows, row);
    }
}
