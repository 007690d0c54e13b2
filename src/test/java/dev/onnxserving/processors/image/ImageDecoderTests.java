package dev.onnxserving.processors.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onnxserving.testing.Images;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ImageDecoderTests {

    private static final long LIMIT = 40_000_000L;

    @Test
    void decodesPngAndJpegFiles() throws Exception {
        BufferedImage png = ImageDecoder.decode(Images.encode(Images.filled(7, 5, 200, 10, 30), "png"), LIMIT);
        BufferedImage jpeg = ImageDecoder.decode(Images.encode(Images.filled(16, 8, 200, 10, 30), "jpeg"), LIMIT);

        assertThat(png.getWidth()).isEqualTo(7);
        assertThat(png.getHeight()).isEqualTo(5);
        assertThat(png.getRGB(3, 2) & 0xFFFFFF).isEqualTo(0xC80A1E);
        assertThat(jpeg.getWidth()).isEqualTo(16);
        assertThat(jpeg.getHeight()).isEqualTo(8);
    }

    @Test
    void refusesAPngThatDeclaresTooManyPixelsBeforeDecodingIt() {
        byte[] bomb = Images.blackPng(20_000, 20_000);

        assertThat(bomb.length).isLessThan(1_000_000);
        assertThatThrownBy(() -> ImageDecoder.decode(bomb, LIMIT))
                .isInstanceOf(BadImageException.class)
                .hasMessage(
                        "the image is 20000x20000 = 400000000 pixels, more than the limit of 40000000 (max-pixels)");
    }

    @Test
    void refusesAJpegThatIsLargerThanTheLimitFromItsHeader() {
        byte[] jpeg = Images.encode(Images.filled(40, 30, 1, 2, 3), "jpeg");

        assertThatThrownBy(() -> ImageDecoder.decode(jpeg, 1199))
                .isInstanceOf(BadImageException.class)
                .hasMessage("the image is 40x30 = 1200 pixels, more than the limit of 1199 (max-pixels)");
    }

    @Test
    void acceptsAnImageOfExactlyTheLimit() throws Exception {
        assertThat(ImageDecoder.decode(Images.blackPng(40, 30), 1200).getWidth())
                .isEqualTo(40);
    }

    @Test
    void refusesAnImageOfZeroPixels() {
        assertThatThrownBy(() -> ImageDecoder.decode(Images.blackPng(0, 0), LIMIT))
                .isInstanceOf(BadImageException.class)
                .hasMessage("the image is 0x0 pixels; expected at least 1x1");
    }

    @Test
    void refusesBytesThatAreNoImage() {
        byte[] text = "hello world".getBytes(StandardCharsets.US_ASCII);

        assertThatThrownBy(() -> ImageDecoder.decode(text, LIMIT))
                .hasMessage(
                        "expected a PNG or JPEG image, got 11 bytes that are neither (they begin with 68 65 6c 6c)");
        assertThatThrownBy(() -> ImageDecoder.decode(new byte[0], LIMIT))
                .hasMessage("expected a PNG or JPEG image, got 0 bytes");
    }

    @Test
    void namesOtherImageFormats() {
        byte[] gif = Images.encode(Images.filled(2, 2, 0, 0, 0), "gif");
        byte[] bmp = Images.encode(Images.filled(2, 2, 0, 0, 0), "bmp");

        assertThatThrownBy(() -> ImageDecoder.decode(gif, LIMIT))
                .hasMessage("expected a PNG or JPEG image, got a GIF image");
        assertThatThrownBy(() -> ImageDecoder.decode(bmp, LIMIT))
                .hasMessage("expected a PNG or JPEG image, got a BMP image");
    }

    @Test
    void refusesATruncatedPng() {
        byte[] png = Images.encode(Images.filled(64, 64, 9, 99, 199), "png");
        byte[] headerOnly = Arrays.copyOf(png, 20);
        byte[] cut = Arrays.copyOf(png, png.length - 30);

        assertThatThrownBy(() -> ImageDecoder.decode(headerOnly, LIMIT))
                .hasMessage("the PNG image is truncated or corrupt: it has no IHDR header");
        assertThatThrownBy(() -> ImageDecoder.decode(cut, LIMIT))
                .isInstanceOf(BadImageException.class)
                .hasMessageStartingWith("the PNG image cannot be decoded: ");
    }

    @Test
    void refusesATruncatedJpegInsteadOfServingAHalfGreyImage() {
        BufferedImage noise = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        java.util.Random random = new java.util.Random(7);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                noise.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        byte[] jpeg = Images.encode(noise, "jpeg");
        byte[] cut = Arrays.copyOf(jpeg, jpeg.length / 2);

        assertThatThrownBy(() -> ImageDecoder.decode(cut, LIMIT))
                .isInstanceOf(BadImageException.class)
                .hasMessageStartingWith("the JPEG image ");
    }
}
