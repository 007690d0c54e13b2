package dev.onnxserving.processors.image;

/** Resizes one image per the settings and writes it, normalised, into its slot of the batch tensor's data. */
final class TensorWriter {

    private TensorWriter() {}

    /**
     * @param data the batch tensor's data, laid out as {@link ImageSettings#shape} says
     * @param instance the image's index in the batch
     */
    static void write(ImageSettings settings, SourceImage source, float[] data, int instance) {
        int height = settings.height();
        int width = settings.width();
        int channels = settings.channels();
        int[] content = settings.resize().contentSize(source.height(), source.width(), height, width);
        int contentHeight = content[0];
        int contentWidth = content[1];
        float[] pixels = Resampler.resize(source, contentHeight, contentWidth, settings.interpolation());
        int base = instance * channels * height * width;
        boolean planar = settings.layout() == Layout.NCHW;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                boolean inside = y < contentHeight && x < contentWidth;
                for (int c = 0; c < channels; c++) {
                    float value = inside
                            ? normalise(pixels[(y * contentWidth + x) * channels + c], settings, c)
                            : settings.padValue();
                    int index = planar ? base + (c * height + y) * width + x : base + (y * width + x) * channels + c;
                    data[index] = value;
                }
            }
        }
    }

    private static float normalise(float value, ImageSettings settings, int channel) {
        return (value * settings.scale() - settings.mean()[channel]) / settings.std()[channel];
    }
}
