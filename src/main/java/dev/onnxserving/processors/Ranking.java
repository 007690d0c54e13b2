package dev.onnxserving.processors;

/** Picks the highest scores of a row without sorting all of it. */
final class Ranking {

    private Ranking() {}

    /**
     * The indices of the {@code k} highest scores, highest first; equal scores keep the lower index first and NaN
     * ranks below everything.
     *
     * @param k at most {@code scores.length}
     */
    static int[] top(double[] scores, int k) {
        int[] best = new int[k];
        int filled = 0;
        for (int index = 0; index < scores.length; index++) {
            double score = rankable(scores[index]);
            if (filled == k && !(score > rankable(scores[best[k - 1]]))) {
                continue;
            }
            int position = filled < k ? filled++ : k - 1;
            while (position > 0 && score > rankable(scores[best[position - 1]])) {
                best[position] = best[position - 1];
                position--;
            }
            best[position] = index;
        }
        return best;
    }

    /** Softmax of {@code values} in place, stable for large values. */
    static void softmax(double[] values) {
        double max = Double.NEGATIVE_INFINITY;
        for (double value : values) {
            max = Math.max(max, value);
        }
        double sum = 0;
        for (int index = 0; index < values.length; index++) {
            values[index] = Math.exp(values[index] - max);
            sum += values[index];
        }
        for (int index = 0; index < values.length; index++) {
            values[index] /= sum;
        }
    }

    private static double rankable(double score) {
        return Double.isNaN(score) ? Double.NEGATIVE_INFINITY : score;
    }
}
