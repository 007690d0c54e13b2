package dev.onnxserving.processors.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;

/**
 * A decoded image seen row by row in a model's colour mode, channel values from 0 to 255 as floats, channels
 * interleaved. Grayscale sources are read from their raster (Java's colour conversion would brighten them, since it
 * treats the gray colour space as linear), at any bit depth; all others through sRGB. Alpha is ignored, as PIL's
 * and OpenCV's conversions to RGB do. Not thread-safe: one per request.
 */
final class SourceImage {

    private final BufferedImage image;
    private final ColorMode mode;
    private final boolean gray;
    private final float grayScale;
    private final int[] buffer;

    SourceImage(BufferedImage image, ColorMode mode) {
        this.image = image;
        this.mode = mode;
        ColorModel model = image.getColorModel();
        this.gray = model.getColorSpace().getType() == ColorSpace.TYPE_GRAY && !(model instanceof IndexColorModel);
        this.grayScale = gray ? 255f / ((1 << model.getComponentSize(0)) - 1) : 1f;
        this.buffer = new int[image.getWidth()];
    }

    int width() {
        return image.getWidth();
    }

    int height() {
        return image.getHeight();
    }

    int channels() {
        return mode.channels();
    }

    /** Writes row {@code y} into {@code out}, {@code width × channels} values. */
    void row(int y, float[] out) {
        int width = image.getWidth();
        if (gray) {
            Raster raster = image.getRaster();
            raster.getSamples(0, y, width, 1, 0, buffer);
            for (int x = 0; x < width; x++) {
                float value = buffer[x] * grayScale;
                if (mode == ColorMode.GRAYSCALE) {
                    out[x] = value;
                } else {
                    out[3 * x] = value;
                    out[3 * x + 1] = value;
                    out[3 * x + 2] = value;
                }
            }
            return;
        }
        image.getRGB(0, y, width, 1, buffer, 0, width);
        for (int x = 0; x < width; x++) {
            int argb = buffer[x];
            int red = (argb >> 16) & 0xFF;
            int green = (argb >> 8) & 0xFF;
            int blue = argb & 0xFF;
            switch (mode) {
                case GRAYSCALE -> out[x] = 0.299f * red + 0.587f * green + 0.114f * blue;
                case RGB -> {
                    out[3 * x] = red;
                    out[3 * x + 1] = green;
                    out[3 * x + 2] = blue;
                }
                case BGR -> {
                    out[3 * x] = blue;
                    out[3 * x + 1] = green;
                    out[3 * x + 2] = red;
                }
            }
        }
    }
}
