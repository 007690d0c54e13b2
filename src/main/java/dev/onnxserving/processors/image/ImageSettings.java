package dev.onnxserving.processors.image;

import dev.onnxserving.pipeline.ElementType;
import dev.onnxserving.pipeline.ModelConfigurationException;
import dev.onnxserving.pipeline.ModelContext;
import dev.onnxserving.pipeline.ProcessorOptions;
import dev.onnxserving.pipeline.TensorSpec;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code image} preprocessor's settings for one model, from {@code model.yaml} options and the model's input.
 *
 * @param input the model input fed
 * @param layout where the channels sit
 * @param colorMode the channels and their order
 * @param height the target height in pixels
 * @param width the target width in pixels
 * @param resize how an image of another size fits the target
 * @param interpolation how resizing samples
 * @param scale the factor each 0-255 channel value is multiplied by first
 * @param mean per channel, subtracted after scaling
 * @param std per channel, divided by last
 * @param padValue the tensor value of padding (after normalisation)
 * @param maxPixels the largest image accepted, width × height
 * @param maxInstances the most images one request may hold
 */
record ImageSettings(
        String input,
        Layout layout,
        ColorMode colorMode,
        int height,
        int width,
        Resize resize,
        Interpolation interpolation,
        float scale,
        float[] mean,
        float[] std,
        float padValue,
        long maxPixels,
        int maxInstances) {

    static final int DEFAULT_MAX_INSTANCES = 256;
    private static final String PROCESSOR = "image preprocessor";

    static ImageSettings of(ModelContext model, long defaultMaxPixels) {
        ProcessorOptions options = model.options();
        TensorSpec input = input(model);
        Layout layout = choice(options, "layout", Layout.class, Layout.NCHW);
        if (input.type() != ElementType.FP32 || input.rank() != 4 || input.dim(0) != -1) {
            throw new ModelConfigurationException(PROCESSOR + ": input '" + input.name() + "' must be FP32 of shape "
                    + (layout == Layout.NCHW ? "[-1,channels,height,width]" : "[-1,height,width,channels]")
                    + ", but it is " + input.describe());
        }
        long channelDim = layout == Layout.NCHW ? input.dim(1) : input.dim(3);
        long heightDim = layout == Layout.NCHW ? input.dim(2) : input.dim(1);
        long widthDim = layout == Layout.NCHW ? input.dim(3) : input.dim(2);
        ColorMode colorMode = colorMode(options, input, channelDim);
        int height = size(options, "height", heightDim, input);
        int width = size(options, "width", widthDim, input);
        float[] mean = perChannel(options, "mean", colorMode.channels(), 0);
        float[] std = perChannel(options, "std", colorMode.channels(), 1);
        for (float value : std) {
            if (value == 0 || !Float.isFinite(value)) {
                throw new ModelConfigurationException(
                        PROCESSOR + ": options.std must be finite and not 0, got " + Arrays.toString(std));
            }
        }
        long maxPixels = options.integer("max-pixels").map(Integer::longValue).orElse(defaultMaxPixels);
        if (maxPixels < 1) {
            throw new ModelConfigurationException(
                    PROCESSOR + ": options.max-pixels must be at least 1, got " + maxPixels);
        }
        int maxInstances = options.integer("max-instances").orElse(DEFAULT_MAX_INSTANCES);
        if (maxInstances < 1) {
            throw new ModelConfigurationException(
                    PROCESSOR + ": options.max-instances must be at least 1, got " + maxInstances);
        }
        return new ImageSettings(
                input.name(),
                layout,
                colorMode,
                height,
                width,
                choice(options, "resize", Resize.class, Resize.STRETCH),
                choice(options, "interpolation", Interpolation.class, Interpolation.BILINEAR),
                options.number("scale").orElse(1 / 255.0).floatValue(),
                mean,
                std,
                options.number("pad-value").orElse(0.0).floatValue(),
                maxPixels,
                maxInstances);
    }

    int channels() {
        return colorMode.channels();
    }

    /** The shape of the tensor for {@code instances} images. */
    long[] shape(int instances) {
        return layout == Layout.NCHW
                ? new long[] {instances, channels(), height, width}
                : new long[] {instances, height, width, channels()};
    }

    private static TensorSpec input(ModelContext model) {
        List<TensorSpec> inputs = model.signature().inputs();
        if (inputs.size() != 1) {
            throw new ModelConfigurationException(PROCESSOR + " feeds one input, but the model has "
                    + model.signature().inputNames());
        }
        Optional<String> named = model.options().string("input");
        if (named.isPresent() && !named.get().equals(inputs.get(0).name())) {
            throw new ModelConfigurationException(
                    PROCESSOR + ": options.input '" + named.get() + "' is not an input of the model; inputs: "
                            + model.signature().inputNames());
        }
        return inputs.get(0);
    }

    private static ColorMode colorMode(ProcessorOptions options, TensorSpec input, long channelDim) {
        ColorMode fallback = channelDim == 1 ? ColorMode.GRAYSCALE : channelDim == 3 ? ColorMode.RGB : null;
        ColorMode mode = options.has("color-mode") ? choice(options, "color-mode", ColorMode.class, null) : fallback;
        if (mode == null) {
            throw new ModelConfigurationException(PROCESSOR + ": input '" + input.name() + "' " + input.describe()
                    + " does not say how many channels it takes; set options.color-mode to grayscale, rgb or bgr");
        }
        if (channelDim != -1 && channelDim != mode.channels()) {
            throw new ModelConfigurationException(PROCESSOR + ": options.color-mode " + lower(mode) + " has "
                    + mode.channels() + " channels, but input '" + input.name() + "' " + input.describe() + " takes "
                    + channelDim);
        }
        return mode;
    }

    private static int size(ProcessorOptions options, String key, long declared, TensorSpec input) {
        Optional<Integer> configured = options.integer(key);
        if (configured.isEmpty()) {
            if (declared < 1) {
                throw new ModelConfigurationException(PROCESSOR + ": input '" + input.name() + "' " + input.describe()
                        + " has a dynamic " + key + "; set options." + key);
            }
            return Math.toIntExact(declared);
        }
        int value = configured.get();
        if (value < 1) {
            throw new ModelConfigurationException(PROCESSOR + ": options." + key + " must be at least 1, got " + value);
        }
        if (declared > 0 && declared != value) {
            throw new ModelConfigurationException(PROCESSOR + ": options." + key + " is " + value + ", but input '"
                    + input.name() + "' " + input.describe() + " fixes it at " + declared);
        }
        return value;
    }

    private static float[] perChannel(ProcessorOptions options, String key, int channels, float fallback) {
        float[] values = new float[channels];
        if (!options.has(key)) {
            Arrays.fill(values, fallback);
            return values;
        }
        if (options.asMap().get(key) instanceof Number) {
            Arrays.fill(values, options.number(key).orElseThrow().floatValue());
            return values;
        }
        List<Double> list = options.numbers(key).orElseThrow();
        if (list.size() != channels) {
            throw new ModelConfigurationException(PROCESSOR + ": options." + key + " must have one number per channel ("
                    + channels + "), got " + list);
        }
        for (int c = 0; c < channels; c++) {
            values[c] = list.get(c).floatValue();
        }
        return values;
    }

    private static <E extends Enum<E>> E choice(ProcessorOptions options, String key, Class<E> type, E fallback) {
        Optional<String> value = options.string(key);
        if (value.isEmpty()) {
            return fallback;
        }
        String wanted = value.get().trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(wanted)) {
                return constant;
            }
        }
        throw new ModelConfigurationException(PROCESSOR + ": options." + key + " must be one of "
                + Arrays.stream(type.getEnumConstants())
                        .map(ImageSettings::lower)
                        .toList() + ", got '" + value.get()
                + "'");
    }

    private static String lower(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
