package dev.onnxserving.processors.image;

/**
 * How resizing samples the source. Both are separable: each axis is resampled with weights computed once per size.
 */
enum Interpolation {
    /**
     * Linear between the two nearest pixels, with pixel centres at half-integer coordinates and edges clamped: what
     * OpenCV's {@code INTER_LINEAR} computes. Fine for moderate scaling; aliases when shrinking a lot.
     */
    BILINEAR,
    /**
     * Every target pixel is the mean of the source area it covers, weighted by overlap. The right choice when
     * shrinking a lot (a drawing to an 8 × 8 digit); exact block means for integer factors.
     */
    AREA;

    /**
     * The weights that map {@code in} source positions to {@code out} target positions.
     *
     * @return per target position, the source indexes and their weights (summing to 1)
     */
    Taps taps(int in, int out) {
        int[][] indexes = new int[out][];
        double[][] weights = new double[out][];
        double ratio = (double) in / out;
        for (int i = 0; i < out; i++) {
            if (this == BILINEAR) {
                double position = (i + 0.5) * ratio - 0.5;
                int first = (int) Math.floor(position);
                double fraction = position - first;
                if (first < 0) {
                    first = 0;
                    fraction = 0;
                }
                if (first >= in - 1) {
                    first = in - 1;
                    fraction = 0;
                }
                if (fraction == 0) {
                    indexes[i] = new int[] {first};
                    weights[i] = new double[] {1};
                } else {
                    indexes[i] = new int[] {first, first + 1};
                    weights[i] = new double[] {1 - fraction, fraction};
                }
            } else {
                double start = i * ratio;
                double end = Math.min(in, (i + 1) * ratio);
                int first = (int) Math.floor(start);
                int last = Math.min(in - 1, (int) Math.ceil(end) - 1);
                int count = Math.max(1, last - first + 1);
                indexes[i] = new int[count];
                weights[i] = new double[count];
                double total = 0;
                for (int k = 0; k < count; k++) {
                    int index = first + k;
                    double overlap = Math.min(end, index + 1) - Math.max(start, index);
                    indexes[i][k] = index;
                    weights[i][k] = Math.max(0, overlap);
                    total += weights[i][k];
                }
                for (int k = 0; k < count; k++) {
                    weights[i][k] /= total;
                }
            }
        }
        return new Taps(indexes, weights);
    }

    /**
     * Resampling weights along one axis.
     *
     * @param indexes per target position, the source positions it reads
     * @param weights per target position, the weight of each source position read
     */
    record Taps(int[][] indexes, double[][] weights) {}
}
