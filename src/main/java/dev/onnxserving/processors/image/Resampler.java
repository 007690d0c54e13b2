package dev.onnxserving.processors.image;

/**
 * Resizes a {@link SourceImage} to a given size: first along each needed source row, then down the columns. Only the
 * source rows the vertical pass reads are converted, and at most {@code source height × target width × channels}
 * values are held in between, so a large photo never exists as floats in full.
 */
final class Resampler {

    private Resampler() {}

    /** @return the resized image, {@code height × width × channels} values from 0 to 255, channels interleaved */
    static float[] resize(SourceImage source, int height, int width, Interpolation interpolation) {
        int channels = source.channels();
        Interpolation.Taps columns = interpolation.taps(source.width(), width);
        Interpolation.Taps rows = interpolation.taps(source.height(), height);
        float[][] resampledRows = new float[source.height()][];
        float[] sourceRow = new float[source.width() * channels];
        for (int[] indexes : rows.indexes()) {
            for (int y : indexes) {
                if (resampledRows[y] == null) {
                    source.row(y, sourceRow);
                    resampledRows[y] = resampleRow(sourceRow, columns, width, channels);
                }
            }
        }
        float[] result = new float[height * width * channels];
        double[] sum = new double[width * channels];
        for (int y = 0; y < height; y++) {
            java.util.Arrays.fill(sum, 0);
            int[] indexes = rows.indexes()[y];
            double[] weights = rows.weights()[y];
            for (int k = 0; k < indexes.length; k++) {
                float[] row = resampledRows[indexes[k]];
                double weight = weights[k];
                for (int i = 0; i < sum.length; i++) {
                    sum[i] += weight * row[i];
                }
            }
            int offset = y * width * channels;
            for (int i = 0; i < sum.length; i++) {
                result[offset + i] = (float) sum[i];
            }
        }
        return result;
    }

    private static float[] resampleRow(float[] row, Interpolation.Taps columns, int width, int channels) {
        float[] out = new float[width * channels];
        for (int x = 0; x < width; x++) {
            int[] indexes = columns.indexes()[x];
            double[] weights = columns.weights()[x];
            for (int c = 0; c < channels; c++) {
                double sum = 0;
                for (int k = 0; k < indexes.length; k++) {
                    sum += weights[k] * row[indexes[k] * channels + c];
                }
                out[x * channels + c] = (float) sum;
            }
        }
        return out;
    }
}
