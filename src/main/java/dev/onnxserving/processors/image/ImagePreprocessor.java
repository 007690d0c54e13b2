package dev.onnxserving.processors.image;

import dev.onnxserving.pipeline.InvalidInputException;
import dev.onnxserving.pipeline.InvalidInputException.FieldError;
import dev.onnxserving.pipeline.ModelContext;
import dev.onnxserving.pipeline.Preprocessor;
import dev.onnxserving.pipeline.RequestParameters;
import dev.onnxserving.pipeline.Tensor;
import dev.onnxserving.pipeline.Tensors;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * The {@value #NAME} preprocessor: each instance is a PNG or JPEG file, {@code {"b64": "<base64>"}} in JSON or a
 * file part of a {@code multipart/form-data} upload. Each is decoded (refused before decoding when larger than the
 * pixel limit), converted to the model's colour mode, resized, scaled and normalised per channel, and laid out into
 * one FP32 tensor {@code [batch, channels, height, width]} or {@code [batch, height, width, channels]}.
 *
 * <p>Options ({@code model.yaml}):
 *
 * <ul>
 *   <li>{@code input}: the model input; default its only input, which must be FP32 of rank 4 with a dynamic batch.
 *   <li>{@code layout}: {@code nchw} (default) or {@code nhwc}.
 *   <li>{@code color-mode}: {@code grayscale}, {@code rgb} or {@code bgr}; default from the input's channels (1 or
 *       3). Alpha is ignored.
 *   <li>{@code height}, {@code width}: the target size; default the input's fixed dimensions.
 *   <li>{@code resize}: {@code stretch} (default), {@code pad} (keep the aspect ratio, pad right and bottom) or
 *       {@code fit-height} (text lines: full height, width by aspect ratio up to the target, pad right).
 *   <li>{@code interpolation}: {@code bilinear} (default, as OpenCV) or {@code area} (mean of the covered pixels;
 *       for shrinking a lot).
 *   <li>{@code scale}, {@code mean}, {@code std}: each channel value {@code v} (0 to 255) becomes {@code (v × scale −
 *       mean) / std}; {@code mean} and {@code std} take one number or one per channel. Defaults 1/255, 0, 1.
 *   <li>{@code pad-value}: the tensor value of padding; default 0.
 *   <li>{@code max-pixels}: the largest image, width × height; default {@code serving.images.max-pixels}.
 *   <li>{@code max-instances}: the most images per request, which bounds the tensor a request can make; default
 *       {@value ImageSettings#DEFAULT_MAX_INSTANCES}.
 * </ul>
 *
 * <p>Every broken instance of a request is reported, each with its JSON pointer.
 */
@Component
public final class ImagePreprocessor implements Preprocessor {

    public static final String NAME = "image";

    private final long defaultMaxPixels;

    public ImagePreprocessor(ImageProperties properties) {
        this.defaultMaxPixels = properties.maxPixels();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> instanceSchema(ModelContext model) {
        return Map.of(
                "type",
                "object",
                "description",
                "a PNG or JPEG file as base64 (a data URL prefix is accepted); it is decoded, converted,"
                        + " resized and normalised as model " + model.name() + "'s model.yaml says",
                "properties",
                Map.of("b64", Map.of("type", "string", "format", "byte")),
                "required",
                List.of("b64"),
                "additionalProperties",
                false);
    }

    @Override
    public Preprocessing bind(ModelContext model) {
        return new Binding(ImageSettings.of(model, defaultMaxPixels));
    }

    private record Binding(ImageSettings settings) implements Preprocessing {

        @Override
        public Tensors apply(List<JsonNode> instances, RequestParameters parameters) {
            if (instances.isEmpty()) {
                throw InvalidInputException.at("/instances", "expected at least one instance");
            }
            if (instances.size() > settings.maxInstances()) {
                throw InvalidInputException.at(
                        "/instances",
                        "expected at most " + settings.maxInstances() + " images per request (max-instances), got "
                                + instances.size());
            }
            int perImage = settings.channels() * settings.height() * settings.width();
            float[] data = new float[Math.multiplyExact(instances.size(), perImage)];
            List<FieldError> errors = new ArrayList<>();
            for (int index = 0; index < instances.size(); index++) {
                String pointer = "/instances/" + index;
                try {
                    byte[] bytes = ImageInstances.read(instances.get(index), pointer);
                    BufferedImage image = decode(bytes, pointer);
                    TensorWriter.write(settings, new SourceImage(image, settings.colorMode()), data, index);
                } catch (ImageInstances.Problem problem) {
                    errors.add(new FieldError(problem.pointer(), problem.getMessage()));
                }
            }
            if (!errors.isEmpty()) {
                FieldError first = errors.get(0);
                String more = errors.size() == 1
                        ? ""
                        : " (and " + (errors.size() - 1) + " more problem" + (errors.size() == 2 ? ")" : "s)");
                throw new InvalidInputException(first.pointer() + ": " + first.detail() + more, errors);
            }
            return Tensors.of(settings.input(), Tensor.ofFloats(settings.shape(instances.size()), data));
        }

        private BufferedImage decode(byte[] bytes, String pointer) throws ImageInstances.Problem {
            try {
                return ImageDecoder.decode(bytes, settings.maxPixels());
            } catch (BadImageException e) {
                throw new ImageInstances.Problem(pointer, e.getMessage());
            }
        }
    }
}
