package dev.onnxserving.bundled;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onnxserving.testing.Http;
import dev.onnxserving.testing.Http.Part;
import dev.onnxserving.testing.Images;
import dev.onnxserving.testing.ServingEndToEndTest;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * {@code digits} over HTTP on PNG images rendered from the held-out rows of scikit-learn's digits data set
 * ({@code reference/digits-1.json}: 64 values 0..16 per row, scikit-learn's own predictions and the true labels).
 */
@ServingEndToEndTest
class DigitsEndToEndTests {

    private static final String PATH = "/models/digits/predict";

    private static List<int[]> rows;
    private static List<String> sklearnLabels;
    private static List<String> trueLabels;

    @Autowired
    private Http http;

    @BeforeAll
    static void readReference() throws IOException {
        try (InputStream input = DigitsEndToEndTests.class.getResourceAsStream("/reference/digits-1.json")) {
            JsonNode reference = Http.JSON.readTree(input);
            rows = new ArrayList<>();
            for (JsonNode row : reference.get("rows")) {
                rows.add(row.valueStream().mapToInt(JsonNode::intValue).toArray());
            }
            sklearnLabels = reference
                    .get("expected")
                    .get("labels")
                    .valueStream()
                    .map(JsonNode::asString)
                    .toList();
            trueLabels = reference
                    .get("expected")
                    .get("true_labels")
                    .valueStream()
                    .map(JsonNode::asString)
                    .toList();
        }
    }

    @Test
    void classifiesEveryHeldOutRowRenderedAt32PixelsAsScikitLearnDoes() {
        List<Object> instances = new ArrayList<>();
        for (int[] row : rows) {
            instances.add(Images.b64(png(row, 4)));
        }

        List<String> served = labels(http.postJson(PATH, Http.instances(instances)));

        assertThat(served).containsExactlyElementsOf(sklearnLabels);
        assertThat(accuracy(served)).isEqualTo(accuracy(sklearnLabels)).isGreaterThan(0.9);
    }

    @Test
    void classifiesImagesOfAnySizeAlike() {
        List<Object> instances = new ArrayList<>();
        for (int scale : new int[] {1, 2, 4, 10}) {
            for (int row = 0; row < 10; row++) {
                instances.add(Images.b64(png(rows.get(row), scale)));
            }
        }

        List<String> served = labels(http.postJson(PATH, Http.instances(instances)));

        for (int i = 0; i < served.size(); i++) {
            assertThat(served.get(i)).as("image %d", i).isEqualTo(sklearnLabels.get(i % 10));
        }
    }

    @Test
    void classifiesUploadedFiles() {
        List<Part> files = new ArrayList<>();
        for (int row = 0; row < 5; row++) {
            files.add(Part.file("image", "digit-" + row + ".png", png(rows.get(row), 8)));
        }
        files.add(Part.field("parameters", "{\"top_k\": 1}"));

        Http.Response answer = http.postMultipart(PATH, files);

        assertThat(labels(answer)).containsExactlyElementsOf(sklearnLabels.subList(0, 5));
        assertThat(answer.json().get("predictions").get(0).get("top")).hasSize(1);
    }

    private static double accuracy(List<String> labels) {
        int correct = 0;
        for (int i = 0; i < labels.size(); i++) {
            correct += labels.get(i).equals(trueLabels.get(i)) ? 1 : 0;
        }
        return (double) correct / labels.size();
    }

    /** The 8 × 8 row as a gray PNG, white ink on black, each value v (0..16) as round(v × 255 / 16), scaled up. */
    static byte[] png(int[] row, int scale) {
        BufferedImage image = new BufferedImage(8 * scale, 8 * scale, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 8 * scale; y++) {
            for (int x = 0; x < 8 * scale; x++) {
                image.getRaster().setSample(x, y, 0, Math.round(row[(y / scale) * 8 + x / scale] * 255f / 16));
            }
        }
        return Images.png(image);
    }

    private static List<String> labels(Http.Response answer) {
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        return answer.json()
                .get("predictions")
                .valueStream()
                .map(prediction -> prediction.get("label").asString())
                .toList();
    }
}
