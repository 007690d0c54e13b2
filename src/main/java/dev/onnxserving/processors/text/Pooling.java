package dev.onnxserving.processors.text;

import dev.onnxserving.pipeline.Tensor;

/** How token vectors {@code [batch, sequence, width]} become one vector per row. Sums run in double precision. */
enum Pooling {
    /** The mean of the token vectors weighted by the attention mask, so padding never counts. */
    MEAN,
    /** The first token's vector ({@code [CLS]}), for models trained that way (BGE). */
    CLS;

    /**
     * @param hidden the token vectors, {@code [batch, sequence, width]}, any floating-point type
     * @param mask the attention mask {@code [batch, sequence]} (any numeric type); needed for {@link #MEAN} only
     * @return the pooled vector of {@code row}, or {@code null} when the mask of that row is all zeros
     */
    double[] pool(Tensor hidden, Tensor mask, int row) {
        int sequence = (int) hidden.dim(1);
        int width = (int) hidden.dim(2);
        int base = row * sequence * width;
        double[] vector = new double[width];
        if (this == CLS) {
            for (int k = 0; k < width; k++) {
                vector[k] = hidden.getAsDouble(base + k);
            }
            return vector;
        }
        double weight = 0;
        for (int token = 0; token < sequence; token++) {
            double w = mask.getAsDouble(row * sequence + token);
            if (w == 0) {
                continue;
            }
            weight += w;
            int offset = base + token * width;
            for (int k = 0; k < width; k++) {
                vector[k] += w * hidden.getAsDouble(offset + k);
            }
        }
        if (weight == 0) {
            return null;
        }
        for (int k = 0; k < width; k++) {
            vector[k] /= weight;
        }
        return vector;
    }

    /** Scales {@code vector} to unit Euclidean length in place; a zero vector stays zero. */
    static void normalize(double[] vector) {
        double sum = 0;
        for (double value : vector) {
            sum += value * value;
        }
        double norm = Math.sqrt(sum);
        if (norm > 0) {
            for (int k = 0; k < vector.length; k++) {
                vector[k] /= norm;
            }
        }
    }
}
