package dev.onnxserving.processors.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.onnxserving.pipeline.ElementType;
import dev.onnxserving.pipeline.InvalidInputException;
import dev.onnxserving.pipeline.InvalidInputException.FieldError;
import dev.onnxserving.pipeline.ModelConfigurationException;
import dev.onnxserving.pipeline.ModelContext;
import dev.onnxserving.pipeline.ModelSignature;
import dev.onnxserving.pipeline.Preprocessor.Preprocessing;
import dev.onnxserving.pipeline.ProcessorOptions;
import dev.onnxserving.pipeline.RequestParameters;
import dev.onnxserving.pipeline.Tensor;
import dev.onnxserving.pipeline.TensorSpec;
import dev.onnxserving.testing.Images;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.BinaryNode;
import tools.jackson.databind.node.JsonNodeFactory;

class ImagePreprocessorTests {

    private static final ImagePreprocessor PREPROCESSOR = new ImagePreprocessor(new ImageProperties(40_000_000L));
    private static final TensorSpec DIGITS = new TensorSpec("image", ElementType.FP32, -1, 1, 8, 8);
    private static final TensorSpec COLOUR = new TensorSpec("x", ElementType.FP32, -1, 3, -1, -1);

    @Test
    void scalesAGrayImageToTheUnitIntervalWithoutJavasGammaShift() {
        int[][] values = new int[8][8];
        values[0][0] = 255;
        values[3][5] = 64;
        values[7][7] = 128;

        Tensor tensor = run(DIGITS, Map.of(), png(Images.gray(values)));

        assertThat(tensor.shape()).containsExactly(1, 1, 8, 8);
        assertThat(tensor.floats()[0]).isEqualTo(1f);
        assertThat(tensor.floats()[3 * 8 + 5]).isCloseTo(64 / 255f, within(1e-6f));
        assertThat(tensor.floats()[63]).isCloseTo(128 / 255f, within(1e-6f));
        assertThat(tensor.floats()[1]).isZero();
    }

    @Test
    void readsSixteenBitGrayPngsAtFullRange() {
        BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_USHORT_GRAY);
        image.getRaster().setSample(2, 1, 0, 65535);
        image.getRaster().setSample(4, 4, 0, 32896);

        Tensor tensor = run(DIGITS, Map.of(), png(image));

        assertThat(tensor.floats()[8 + 2]).isEqualTo(1f);
        assertThat(tensor.floats()[4 * 8 + 4]).isCloseTo(128 / 255f, within(1e-6f));
    }

    @Test
    void convertsColourToGrayWithBt601Luma() {
        Tensor tensor = run(DIGITS, Map.of(), png(Images.filled(8, 8, 200, 100, 50)));

        assertThat(tensor.floats()[10]).isCloseTo((0.299f * 200 + 0.587f * 100 + 0.114f * 50) / 255, within(1e-5f));
    }

    @Test
    void laysOutRgbAndBgrChannelsPlanarOrInterleaved() {
        JsonNode orange = png(Images.filled(2, 2, 255, 102, 0));
        Map<String, Object> nchw = Map.of("color-mode", "rgb", "height", 2, "width", 2);

        Tensor rgb = run(COLOUR, nchw, orange);
        Tensor bgr = run(COLOUR, Map.of("color-mode", "bgr", "height", 2, "width", 2), orange);
        Tensor nhwc = run(
                new TensorSpec("x", ElementType.FP32, -1, 2, 2, 3),
                Map.of("layout", "nhwc", "color-mode", "rgb"),
                orange);

        assertThat(rgb.shape()).containsExactly(1, 3, 2, 2);
        assertThat(rgb.floats())
                .containsExactly(new float[] {1, 1, 1, 1, 0.4f, 0.4f, 0.4f, 0.4f, 0, 0, 0, 0}, within(1e-6f));
        assertThat(bgr.floats())
                .containsExactly(new float[] {0, 0, 0, 0, 0.4f, 0.4f, 0.4f, 0.4f, 1, 1, 1, 1}, within(1e-6f));
        assertThat(nhwc.shape()).containsExactly(1, 2, 2, 3);
        assertThat(nhwc.floats())
                .containsExactly(new float[] {1, 0.4f, 0, 1, 0.4f, 0, 1, 0.4f, 0, 1, 0.4f, 0}, within(1e-6f));
    }

    @Test
    void normalisesEachChannelWithItsMeanAndStd() {
        Map<String, Object> options = Map.of(
                "color-mode",
                "bgr",
                "height",
                4,
                "width",
                8,
                "resize",
                "fit-height",
                "mean",
                List.of(0.5, 0.25, 0.5),
                "std",
                List.of(0.5, 0.25, 2.0));

        Tensor tensor = run(COLOUR, options, png(Images.filled(4, 2, 255, 0, 51)));

        float[] data = tensor.floats();
        assertThat(tensor.shape()).containsExactly(1, 3, 4, 8);
        for (int i = 0; i < 32; i++) {
            assertThat(data[i]).isCloseTo((51 / 255f - 0.5f) / 0.5f, within(1e-6f));
            assertThat(data[32 + i]).isCloseTo(-1f, within(1e-6f));
            assertThat(data[64 + i]).isCloseTo((1 - 0.5f) / 2, within(1e-6f));
        }
    }

    @Test
    void padsTheRightOfANarrowTextLine() {
        Map<String, Object> paddle =
                Map.of("color-mode", "rgb", "height", 4, "width", 8, "resize", "fit-height", "pad-value", -1.0);

        Tensor tensor = run(COLOUR, paddle, png(Images.filled(2, 2, 255, 255, 255)));

        float[] red = java.util.Arrays.copyOfRange(tensor.floats(), 0, 32);
        for (int y = 0; y < 4; y++) {
            assertThat(java.util.Arrays.copyOfRange(red, y * 8, y * 8 + 8)).containsExactly(1, 1, 1, 1, -1, -1, -1, -1);
        }
    }

    @Test
    void stacksSeveralImagesOfDifferentSizes() {
        int[][] small = {{255}};
        int[][] large = new int[32][32];

        Tensor tensor = run(DIGITS, Map.of(), png(Images.gray(small)), png(Images.gray(large)));

        assertThat(tensor.shape()).containsExactly(2, 1, 8, 8);
        assertThat(java.util.Arrays.copyOfRange(tensor.floats(), 0, 64)).containsOnly(1f);
        assertThat(java.util.Arrays.copyOfRange(tensor.floats(), 64, 128)).containsOnly(0f);
    }

    @Test
    void takesUploadedFilesAsInstances() {
        byte[] file = Images.encode(Images.gray(new int[][] {{255}}), "png");

        Tensor tensor = bind(DIGITS, Map.of())
                .apply(List.of(BinaryNode.valueOf(file)), RequestParameters.none())
                .get("image");

        assertThat(tensor.floats()).containsOnly(1f);
    }

    @Test
    void reportsEveryBrokenInstanceWithItsPointer() {
        Preprocessing preprocessing = bind(DIGITS, Map.of("max-pixels", 100));
        List<JsonNode> instances = List.of(
                png(Images.gray(new int[][] {{1}})),
                b64("bm90IGFuIGltYWdl"),
                png(Images.gray(new int[11][10])),
                JsonNodeFactory.instance.stringNode("x"));

        assertThatThrownBy(() -> preprocessing.apply(instances, RequestParameters.none()))
                .isInstanceOfSatisfying(
                        InvalidInputException.class,
                        e -> assertThat(e.errors())
                                .containsExactly(
                                        new FieldError(
                                                "/instances/1",
                                                "expected a PNG or JPEG image, got 12 bytes that are neither (they begin with"
                                                        + " 6e 6f 74 20)"),
                                        new FieldError(
                                                "/instances/2",
                                                "the image is 10x11 = 110 pixels, more than the limit of 100 (max-pixels)"),
                                        new FieldError(
                                                "/instances/3",
                                                "expected an object {\"b64\": \"<base64 of a PNG or JPEG file>\"}, got the"
                                                        + " string \"x\"")))
                .hasMessage("/instances/1: expected a PNG or JPEG image, got 12 bytes that are neither (they begin"
                        + " with 6e 6f 74 20) (and 2 more problems)");
    }

    @Test
    void refusesMoreImagesThanMaxInstancesBeforeDecodingAny() {
        Preprocessing preprocessing = bind(DIGITS, Map.of("max-instances", 2));
        JsonNode image = png(Images.gray(new int[][] {{1}}));

        assertThat(preprocessing
                        .apply(List.of(image, image), RequestParameters.none())
                        .get("image")
                        .shape())
                .containsExactly(2, 1, 8, 8);
        assertThatThrownBy(() -> preprocessing.apply(List.of(image, image, b64("broken")), RequestParameters.none()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("/instances: expected at most 2 images per request (max-instances), got 3");
    }

    @Test
    void refusesOptionsThatDoNotFitTheModel() {
        assertConfiguration(
                COLOUR,
                Map.of("color-mode", "rgb"),
                "image preprocessor: input 'x' FP32 [-1,3,-1,-1] has" + " a dynamic height; set options.height");
        assertConfiguration(
                COLOUR,
                Map.of("height", 48, "width", 192, "color-mode", "grayscale"),
                "image preprocessor: options.color-mode grayscale has 1 channels, but input 'x' FP32 [-1,3,-1,-1]"
                        + " takes 3");
        assertConfiguration(
                DIGITS,
                Map.of("height", 28),
                "image preprocessor: options.height is 28, but input" + " 'image' FP32 [-1,1,8,8] fixes it at 8");
        assertConfiguration(
                DIGITS, Map.of("std", 0), "image preprocessor: options.std must be finite and not 0, got" + " [0.0]");
        assertConfiguration(
                DIGITS,
                Map.of("resize", "crop"),
                "image preprocessor: options.resize must be one of" + " [stretch, pad, fit-height], got 'crop'");
        assertConfiguration(
                DIGITS,
                Map.of("mean", List.of(0.5, 0.5, 0.5)),
                "image preprocessor: options.mean must" + " have one number per channel (1), got [0.5, 0.5, 0.5]");
        assertConfiguration(
                new TensorSpec("x", ElementType.FP32, -1, 4),
                Map.of(),
                "image preprocessor: input 'x'"
                        + " must be FP32 of shape [-1,channels,height,width], but it is FP32 [-1,4]");
    }

    private static void assertConfiguration(TensorSpec input, Map<String, Object> options, String message) {
        assertThatThrownBy(() -> bind(input, options))
                .isInstanceOf(ModelConfigurationException.class)
                .hasMessage(message);
    }

    private static Tensor run(TensorSpec input, Map<String, Object> options, JsonNode... instances) {
        return bind(input, options)
                .apply(List.of(instances), RequestParameters.none())
                .get(input.name());
    }

    private static Preprocessing bind(TensorSpec input, Map<String, Object> options) {
        ModelSignature signature = new ModelSignature(List.of(input), List.of(), Map.of());
        return PREPROCESSOR.bind(
                new ModelContext("test", 1, Path.of("models", "test"), signature, new ProcessorOptions(options)));
    }

    private static JsonNode png(BufferedImage image) {
        return Images.b64(Images.png(image));
    }

    private static JsonNode b64(String base64) {
        return JsonNodeFactory.instance.objectNode().put("b64", base64);
    }
}
