package dev.onnxserving.inference;

import dev.onnxserving.pipeline.ElementType;
import dev.onnxserving.pipeline.Tensor;
import dev.onnxserving.pipeline.Tensors;
import java.util.Arrays;
import java.util.Map;

/**
 * Compares a primary version's outputs with a shadow version's for the same request.
 *
 * <p>Labels: outputs of integer, boolean or string type (such as a classifier's {@code label}) must be equal; a model
 * without such outputs but with a floating-point {@code [batch, classes]} output (class scores) is compared by the
 * arg-max of each row. Numbers: the largest absolute difference over the floating-point outputs present in both with
 * the same shape. Pure and thread-safe.
 *
 * @param comparable whether the outputs could be compared at all (same names with the same shapes)
 * @param labelsCompared whether labels (or arg-max classes) were compared
 * @param labelsAgree whether they were all equal
 * @param maxAbsDiff the largest absolute difference over floating-point outputs, -1 when there were none
 */
record OutputAgreement(boolean comparable, boolean labelsCompared, boolean labelsAgree, double maxAbsDiff) {

    static OutputAgreement compare(Tensors primary, Tensors shadow) {
        boolean comparable = false;
        boolean labelsCompared = false;
        boolean labelsAgree = true;
        double maxAbsDiff = -1;
        for (Map.Entry<String, Tensor> entry : primary) {
            Tensor left = entry.getValue();
            Tensor right = shadow.find(entry.getKey()).orElse(null);
            if (right == null || left.type() != right.type() || !Arrays.equals(left.shape(), right.shape())) {
                continue;
            }
            comparable = true;
            if (isFloating(left.type())) {
                double difference = 0;
                for (int i = 0; i < left.elementCount(); i++) {
                    difference = Math.max(difference, Math.abs(left.getAsDouble(i) - right.getAsDouble(i)));
                }
                maxAbsDiff = Math.max(maxAbsDiff, difference);
            } else {
                labelsCompared = true;
                labelsAgree &= sameElements(left, right);
            }
        }
        if (comparable && !labelsCompared) {
            for (Map.Entry<String, Tensor> entry : primary) {
                Tensor left = entry.getValue();
                Tensor right = shadow.find(entry.getKey()).orElse(null);
                if (right != null
                        && isFloating(left.type())
                        && left.type() == right.type()
                        && left.rank() == 2
                        && left.dim(1) > 1
                        && Arrays.equals(left.shape(), right.shape())) {
                    labelsCompared = true;
                    labelsAgree &= sameArgMax(left, right);
                }
            }
        }
        return new OutputAgreement(comparable, labelsCompared, labelsCompared && labelsAgree, maxAbsDiff);
    }

    /** Agreement as one outcome: labels decide when there are any, else numbers within {@code tolerance}. */
    boolean agrees(double tolerance) {
        if (labelsCompared) {
            return labelsAgree;
        }
        return maxAbsDiff >= 0 && maxAbsDiff <= tolerance;
    }

    private static boolean isFloating(ElementType type) {
        return type == ElementType.FP32 || type == ElementType.FP64 || type == ElementType.FP16;
    }

    private static boolean sameElements(Tensor left, Tensor right) {
        if (left.type() == ElementType.STRING) {
            return Arrays.equals(left.strings(), right.strings());
        }
        for (int i = 0; i < left.elementCount(); i++) {
            if (left.getAsDouble(i) != right.getAsDouble(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameArgMax(Tensor left, Tensor right) {
        int rows = (int) left.dim(0);
        int classes = (int) left.dim(1);
        for (int row = 0; row < rows; row++) {
            if (argMax(left, row, classes) != argMax(right, row, classes)) {
                return false;
            }
        }
        return true;
    }

    private static int argMax(Tensor tensor, int row, int classes) {
        int best = 0;
        for (int index = 1; index < classes; index++) {
            if (tensor.getAsDouble(row * classes + index) > tensor.getAsDouble(row * classes + best)) {
                best = index;
            }
        }
        return best;
    }
}
