package dev.onnxserving.processors.image;

/** How an image of any size becomes the model's height × width. */
enum Resize {
    /** Scale each axis to the target, distorting the aspect ratio. */
    STRETCH,
    /** Keep the aspect ratio, fit inside the target, pad the right and bottom with the pad value. */
    PAD,
    /**
     * For text lines: the height becomes the target height, the width keeps the aspect ratio but is at most the
     * target width (wider lines are squeezed to it), and the right is padded. What PaddleOCR does.
     */
    FIT_HEIGHT;

    /**
     * The size of the scaled image inside the target, {@code {height, width}}; the non-limiting side is rounded up
     * (as PaddleOCR does) and never exceeds the target.
     */
    int[] contentSize(int imageHeight, int imageWidth, int targetHeight, int targetWidth) {
        return switch (this) {
            case STRETCH -> new int[] {targetHeight, targetWidth};
            case FIT_HEIGHT -> new int[] {targetHeight, scaled(imageWidth, targetHeight, imageHeight, targetWidth)};
            case PAD -> {
                boolean wider = (long) imageWidth * targetHeight >= (long) imageHeight * targetWidth;
                yield wider
                        ? new int[] {scaled(imageHeight, targetWidth, imageWidth, targetHeight), targetWidth}
                        : new int[] {targetHeight, scaled(imageWidth, targetHeight, imageHeight, targetWidth)};
            }
        };
    }

    /** {@code ceil(size × numerator / denominator)}, between 1 and {@code limit}. */
    private static int scaled(int size, int numerator, int denominator, int limit) {
        long product = (long) size * numerator;
        long value = (product + denominator - 1) / denominator;
        return (int) Math.max(1, Math.min(limit, value));
    }
}
