package dev.onnxserving.processors.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.onnxserving.testing.Images;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResamplingTests {

    @Test
    void bilinearPlacesPixelCentresAtHalfIntegersAndClampsTheEdgesAsOpenCvDoes() {
        float[] row = resize(new int[][] {{0, 100}}, 1, 4, Interpolation.BILINEAR);

        assertThat(row).containsExactly(0f, 25f, 75f, 100f);
    }

    @Test
    void bilinearShrinkingByTwoAveragesNeighbours() {
        float[] row = resize(new int[][] {{0, 10, 20, 30}}, 1, 2, Interpolation.BILINEAR);

        assertThat(row).containsExactly(5f, 25f);
    }

    @Test
    void areaShrinkingByAnIntegerFactorGivesExactBlockMeans() {
        int[][] image = new int[8][8];
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                image[y][x] = (y / 4) * 100 + (x / 4) * 10 + (x % 2);
            }
        }

        float[] pixels = resize(image, 2, 2, Interpolation.AREA);

        assertThat(pixels).containsExactly(0.5f, 10.5f, 100.5f, 110.5f);
    }

    @Test
    void areaShrinkingByAFractionWeighsPixelsByTheirOverlap() {
        float[] row = resize(new int[][] {{0, 30, 60}}, 1, 2, Interpolation.AREA);

        assertThat(row[0]).isCloseTo((0 * 1f + 30 * 0.5f) / 1.5f, within(1e-4f));
        assertThat(row[1]).isCloseTo((30 * 0.5f + 60 * 1f) / 1.5f, within(1e-4f));
    }

    @Test
    void resizingToTheSameSizeChangesNothing() {
        int[][] image = {{1, 2, 3}, {4, 5, 6}};

        for (Interpolation interpolation : Interpolation.values()) {
            assertThat(resize(image, 2, 3, interpolation)).containsExactly(1f, 2f, 3f, 4f, 5f, 6f);
        }
    }

    @ParameterizedTest(name = "{0} {1}x{2} into {3}x{4} -> {5}x{6}")
    @CsvSource({
        "STRETCH,    100, 300, 48, 192, 48, 192",
        "FIT_HEIGHT,  32,  64, 48, 192, 48,  96",
        "FIT_HEIGHT,  30, 100, 48, 192, 48, 160",
        "FIT_HEIGHT,  31, 100, 48, 192, 48, 155",
        "FIT_HEIGHT,  10, 100, 48, 192, 48, 192",
        "PAD,         10, 100, 48, 192, 20, 192",
        "PAD,         64,  32, 48, 192, 48,  24",
        "PAD,        200, 100, 100, 100, 100, 50",
        "PAD,          1, 1000, 48, 192, 1, 192"
    })
    void computesTheContentSizeOfEachResizeMode(
            Resize resize,
            int height,
            int width,
            int targetHeight,
            int targetWidth,
            int expectedHeight,
            int expectedWidth) {
        assertThat(resize.contentSize(height, width, targetHeight, targetWidth))
                .containsExactly(expectedHeight, expectedWidth);
    }

    private static float[] resize(int[][] gray, int height, int width, Interpolation interpolation) {
        BufferedImage image = Images.gray(gray);
        return Resampler.resize(new SourceImage(image, ColorMode.GRAYSCALE), height, width, interpolation);
    }
}
