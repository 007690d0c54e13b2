package dev.onnxserving.bundled;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.onnxserving.testing.Http;
import dev.onnxserving.testing.Http.Part;
import dev.onnxserving.testing.ServingEndToEndTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * {@code minilm} over HTTP against langchain4j's own all-MiniLM-L6-v2 embedding class, an independent implementation
 * of the same model (its own tokenizer call, its own ONNX Runtime session, its own pooling and normalisation).
 */
@ServingEndToEndTest
class MiniLmEndToEndTests {

    private static final double TOLERANCE = 1e-5;
    private static final String PATH = "/models/minilm/predict";

    private static AllMiniLmL6V2EmbeddingModel reference;

    @Autowired
    private Http http;

    @BeforeAll
    static void loadReference() {
        reference = new AllMiniLmL6V2EmbeddingModel();
    }

    @AfterAll
    static void dropReference() {
        reference = null;
    }

    @Test
    void embedsABatchOfTextsAsTheReferenceDoesEachText() {
        List<String> texts = List.of(
                "A cat sits on the mat.",
                "The quick brown fox jumps over the lazy dog",
                "Crème brûlée, naïve café — 東京は日本の首都です。 🍮",
                "ONNX Runtime serves models; Spring Boot serves HTTP.",
                "x",
                "  leading and trailing whitespace\n\t",
                "A longer text that goes on well past the 128 word pieces the model was trained with, so that the"
                        + " truncation of both implementations is compared as well: "
                        + "one two three four five six seven eight nine ten eleven twelve ".repeat(12));

        List<float[]> served = embeddings(http.postJson(PATH, Http.instances(texts)));

        assertThat(served).hasSize(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            assertThat(served.get(i)).hasSize(384);
            assertClose(served.get(i), expected(texts.get(i)), texts.get(i));
        }
    }

    @Test
    void givesATextTheSameEmbeddingAloneAsInABatchWithLongerTexts() {
        String text = "Short.";
        List<String> batch = List.of("A much longer sentence that pads the short one in the batch.", text);

        float[] alone =
                embeddings(http.postJson(PATH, Http.instances(List.of(text)))).get(0);
        float[] inBatch = embeddings(http.postJson(PATH, Http.instances(batch))).get(1);

        assertThat(inBatch).containsExactly(alone, within(1e-6f));
    }

    @Test
    void concurrentRequestsOfDifferentLengthsAreBatchedAndEachGetsItsOwnEmbedding() throws Exception {
        List<String> texts = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            texts.add("request " + i + " says" + " something".repeat(i * 3));
        }
        int rounds = 4;
        var pool = java.util.concurrent.Executors.newFixedThreadPool(texts.size());
        try {
            for (int round = 0; round < rounds; round++) {
                var start = new java.util.concurrent.CountDownLatch(1);
                List<java.util.concurrent.Future<float[]>> answers = new java.util.ArrayList<>();
                for (String text : texts) {
                    answers.add(pool.submit(() -> {
                        start.await();
                        return embeddings(http.postJson(PATH, Http.instances(List.of(text))))
                                .get(0);
                    }));
                }
                start.countDown();
                for (int i = 0; i < texts.size(); i++) {
                    assertClose(
                            answers.get(i).get(60, java.util.concurrent.TimeUnit.SECONDS),
                            expected(texts.get(i)),
                            texts.get(i));
                }
            }
        } finally {
            pool.shutdownNow();
        }

        String metrics = http.get("/actuator/prometheus").text();
        double rows = metric(metrics, "serving_batch_size_sum");
        double batches = metric(metrics, "serving_batch_size_count");
        assertThat(rows).as("rows run in batches").isGreaterThanOrEqualTo(texts.size() * rounds);
        assertThat(rows / batches).as("mean batch size of minilm").isGreaterThan(1.0);
    }

    private static double metric(String prometheus, String name) {
        return prometheus
                .lines()
                .filter(line -> line.startsWith(name + "{") && line.contains("model=\"minilm\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    @Test
    void returnsUnitLengthEmbeddings() {
        float[] embedding = embeddings(http.postJson(PATH, Http.instances(List.of("unit length"))))
                .get(0);

        double sum = 0;
        for (float value : embedding) {
            sum += value * value;
        }
        assertThat(Math.sqrt(sum)).isCloseTo(1.0, within(1e-6));
    }

    @Test
    void truncatesAMegabyteOfTextToItsFirst128WordPieces() {
        StringBuilder text = new StringBuilder();
        Random random = new Random(11);
        String[] words = {"serving", "models", "over", "HTTP", "is", "fun", "and", "sometimes", "subtle"};
        while (text.length() < 1_000_000) {
            text.append(words[random.nextInt(words.length)]).append(' ');
        }
        String beginning = text.substring(0, text.indexOf(" ", 2000));

        Http.Response answer = http.postJson(PATH, Http.instances(List.of(text.toString())));

        assertThat(answer.status()).isEqualTo(200);
        assertClose(embeddings(answer).get(0), expected(beginning), "the first 2000 characters");
    }

    @Test
    void embedsUploadedTextFiles() {
        String text = "A cat sits on the mat.";

        Http.Response answer =
                http.postMultipart(PATH, List.of(Part.file("text", "cat.txt", text.getBytes(StandardCharsets.UTF_8))));

        assertClose(embeddings(answer).get(0), expected(text), text);
    }

    private static float[] expected(String text) {
        return reference.embed(text).content().vector();
    }

    private static void assertClose(float[] served, float[] expected, String text) {
        assertThat(served).as("embedding of '%s'", text).containsExactly(expected, within((float) TOLERANCE));
    }

    private static List<float[]> embeddings(Http.Response answer) {
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        List<float[]> result = new ArrayList<>();
        for (JsonNode prediction : answer.json().get("predictions")) {
            JsonNode values = prediction.get("embedding");
            float[] vector = new float[values.size()];
            for (int i = 0; i < vector.length; i++) {
                vector[i] = values.get(i).floatValue();
            }
            result.add(vector);
        }
        return result;
    }
}
