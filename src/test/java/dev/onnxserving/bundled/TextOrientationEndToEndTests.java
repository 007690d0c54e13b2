package dev.onnxserving.bundled;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.onnxserving.loading.SessionFactory;
import dev.onnxserving.pipeline.InferenceSession;
import dev.onnxserving.pipeline.Tensor;
import dev.onnxserving.pipeline.Tensors;
import dev.onnxserving.testing.Http;
import dev.onnxserving.testing.Http.Part;
import dev.onnxserving.testing.Images;
import dev.onnxserving.testing.ServingEndToEndTest;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** {@code text-orientation} (PaddleOCR's classifier) over HTTP on text lines rendered with Java 2D. */
@ServingEndToEndTest
class TextOrientationEndToEndTests {

    private static final String PATH = "/models/text-orientation/predict";
    private static final List<String> LINES =
            List.of("Hello, onnx-serving!", "The quick brown fox jumps", "Invoice 4711 due 2026-12-01", "Orientation");

    @Autowired
    private SessionFactory sessions;

    @Autowired
    private Http http;

    @Test
    void tellsUprightLinesFromLinesTurnedUpsideDown() {
        List<Object> instances = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (String line : LINES) {
            for (int height : new int[] {40, 48, 100}) {
                BufferedImage image = render(line, height);
                instances.add(Images.b64(Images.png(image)));
                instances.add(Images.b64(Images.png(rotate180(image))));
                expected.add("0");
                expected.add("180");
            }
        }

        Http.Response answer = http.postJson(PATH, Http.instances(instances));

        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        List<String> labels = answer.json()
                .get("predictions")
                .valueStream()
                .map(prediction -> prediction.get("label").asString())
                .toList();
        assertThat(labels).containsExactlyElementsOf(expected);
    }

    @Test
    void scoresAsTheModelDoesOnPaddleOcrsPreprocessingWrittenOutByHand() {
        BufferedImage line = render("Hello, world", 48);
        assertThat(line.getWidth()).isLessThan(192);

        Http.Response answer = http.postMultipart(PATH, List.of(Part.file("line", "line.png", Images.png(line))));

        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        float[] expected = paddleReference(line);
        JsonNode top = answer.json().get("predictions").get(0).get("top");
        for (JsonNode entry : top) {
            int index = entry.get("label").asString().equals("0") ? 0 : 1;
            assertThat(entry.get("score").doubleValue()).isCloseTo(expected[index], within(1e-6));
        }
    }

    /**
     * The classifier's softmax for a line exactly 48 pixels high and narrower than 192, run on a tensor built here:
     * no resizing is needed, so the input is every pixel in B, G, R planes as (v / 255 − 0.5) / 0.5, zeros to the
     * right.
     */
    private float[] paddleReference(BufferedImage line) {
        float[] data = new float[3 * 48 * 192];
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < line.getWidth(); x++) {
                int rgb = line.getRGB(x, y);
                int[] bgr = {rgb & 0xFF, (rgb >> 8) & 0xFF, (rgb >> 16) & 0xFF};
                for (int c = 0; c < 3; c++) {
                    data[(c * 48 + y) * 192 + x] = (bgr[c] / 255f - 0.5f) / 0.5f;
                }
            }
        }
        InferenceSession session = sessions.open(Path.of("models", "text-orientation", "1", "model.onnx"));
        try {
            Tensors outputs = session.run(
                    Tensors.of("x", Tensor.ofFloats(new long[] {1, 3, 48, 192}, data)), Set.of("softmax_0.tmp_0"));
            return outputs.get("softmax_0.tmp_0").floats();
        } finally {
            session.close();
        }
    }

    /** Dark text on a light background, {@code height} pixels high, as wide as the text needs. */
    static BufferedImage render(String text, int height) {
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, Math.round(height * 0.6f));
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D measure = probe.createGraphics();
        int textWidth = measure.getFontMetrics(font).stringWidth(text);
        measure.dispose();
        BufferedImage image = new BufferedImage(textWidth + height / 4, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(250, 248, 240));
        g.fillRect(0, 0, image.getWidth(), height);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(new Color(20, 20, 60));
        g.setFont(font);
        g.drawString(text, height / 8, Math.round(height * 0.72f));
        g.dispose();
        return image;
    }

    static BufferedImage rotate180(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        BufferedImage rotated = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                rotated.setRGB(width - 1 - x, height - 1 - y, image.getRGB(x, y));
            }
        }
        return rotated;
    }
}
