package dev.onnxserving.processors.image;

/** The channels a model wants, in its order. */
enum ColorMode {
    /** One channel: luma 0.299 R + 0.587 G + 0.114 B (ITU-R BT.601, as PIL and OpenCV compute it). */
    GRAYSCALE(1),
    RGB(3),
    /** Blue, green, red: the order OpenCV reads images in, which models trained with OpenCV expect. */
    BGR(3);

    private final int channels;

    ColorMode(int channels) {
        this.channels = channels;
    }

    int channels() {
        return channels;
    }
}
