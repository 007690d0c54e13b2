package dev.onnxserving.processors.text;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Against the real all-MiniLM-L6-v2 tokenizer that the build unpacks into models/minilm. */
class TextTokenizerTests {

    static final Path TOKENIZER = Path.of("models", "minilm", "tokenizer.json");
    private static final int MAX_LENGTH = 128;

    private static TextTokenizer tokenizer;
    private static HuggingFaceTokenizer whole;

    @BeforeAll
    static void open() throws Exception {
        tokenizer = TextTokenizer.open(TOKENIZER, MAX_LENGTH, false);
        whole = HuggingFaceTokenizer.newInstance(
                TOKENIZER, Map.of("truncation", "true", "maxLength", Integer.toString(MAX_LENGTH), "padding", "false"));
    }

    @AfterAll
    static void close() {
        tokenizer.close();
        whole.close();
    }

    @Test
    void encodesATextWithSpecialTokensAndNoPadding() {
        TextTokenizer.Batch batch = tokenizer.encode(List.of("A cat sits on the mat."));

        assertThat(batch.rows()).isEqualTo(1);
        assertThat(batch.length()).isEqualTo(9);
        assertThat(batch.ids()[0]).isEqualTo(101);
        assertThat(batch.ids()[8]).isEqualTo(102);
        assertThat(batch.attentionMask()).containsOnly(1L);
        assertThat(batch.typeIds()).containsOnly(0L);
        assertThat(batch.tokens()).containsExactly(7);
    }

    @Test
    void padsABatchToItsLongestTextAndMasksThePadding() {
        TextTokenizer.Batch batch = tokenizer.encode(List.of("hi", "A cat sits on the mat."));

        assertThat(batch.length()).isEqualTo(9);
        assertThat(Arrays.copyOfRange(batch.ids(), 0, 9)).containsExactly(101, 7632, 102, 0, 0, 0, 0, 0, 0);
        assertThat(Arrays.copyOfRange(batch.attentionMask(), 0, 9)).containsExactly(1, 1, 1, 0, 0, 0, 0, 0, 0);
        assertThat(batch.tokens()).containsExactly(1, 7);
    }

    @Test
    void padsToMaxLengthWhenAskedTo() throws Exception {
        try (TextTokenizer fixed = TextTokenizer.open(TOKENIZER, 16, true)) {
            TextTokenizer.Batch batch = fixed.encode(List.of("hi"));

            assertThat(batch.length()).isEqualTo(16);
            assertThat(Arrays.stream(batch.attentionMask()).sum()).isEqualTo(3);
        }
    }

    @Test
    void truncatesALongTextToMaxLengthKeepingItsBeginning() {
        String text = "one two three four five six seven eight nine ten ".repeat(100);

        TextTokenizer.Batch batch = tokenizer.encode(List.of(text));

        assertThat(batch.length()).isEqualTo(MAX_LENGTH);
        assertThat(batch.ids()[MAX_LENGTH - 1]).isEqualTo(102);
        assertThat(batch.tokens()).containsExactly(MAX_LENGTH - 2);
        assertThat(Arrays.copyOfRange(batch.ids(), 0, 4)).containsExactly(101, 2028, 2048, 2093);
    }

    @Test
    void countsNoTokensInWhitespaceAndControlCharacters() {
        assertThat(tokenizer.encode(List.of("   \t\n", "\u0001\u0002")).tokens())
                .containsExactly(0, 0);
    }

    @Test
    void cutsAMegabyteOfTextToAShortPrefix() {
        String text = words(new Random(3), 1_000_000);

        String bounded = tokenizer.bounded(text);

        assertThat(bounded.length()).isLessThan(20_000);
        assertThat(text).startsWith(bounded);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("longTexts")
    void givesALongTextTheSameTokensAsTokenizingItWhole(String name, String text) {
        Encoding expected = whole.encode(text);

        TextTokenizer.Batch batch = tokenizer.encode(List.of(text));

        assertThat(batch.ids()).containsExactly(expected.getIds());
        assertThat(batch.attentionMask()).containsExactly(expected.getAttentionMask());
    }

    static Stream<Arguments> longTexts() {
        Random random = new Random(42);
        return Stream.of(
                Arguments.of("random words", words(random, 200_000)),
                Arguments.of("short text", "A cat sits on the mat."),
                Arguments.of("text just past the first cut", "x".repeat(2040) + " word ".repeat(50)),
                Arguments.of("long words near the cut", ("y".repeat(150) + " ").repeat(40) + "tail words here"),
                Arguments.of("words cut mid-way", "antidisestablishmentarianism ".repeat(3000)),
                Arguments.of("runs of spaces", ("spaced     out   ").repeat(5000)),
                Arguments.of("whitespace before the words", " ".repeat(50_000) + words(random, 5000)),
                Arguments.of("newlines only", "line\n".repeat(20_000)),
                Arguments.of("no spaces at all", "z".repeat(100_000)),
                Arguments.of("CJK without spaces", "東京は日本の首都です。".repeat(2000)),
                Arguments.of("accents and emoji", "Crème brûlée 🍮 à la carte, naïve café ".repeat(2000)),
                Arguments.of("punctuation", "hello,world!(yes)...really? ".repeat(2000)),
                Arguments.of("control characters", "a\u0000b\u0001 c\u001cd ".repeat(5000)));
    }

    private static String words(Random random, int length) {
        String[] vocabulary = {
            "the",
            "model",
            "serving",
            "embedding",
            "tokenizer",
            "cat",
            "mat",
            "unbelievable",
            "42",
            "ONNX",
            "runtime",
            "é",
            "naïve",
            "?",
            "co-operate"
        };
        StringBuilder text = new StringBuilder(length + 20);
        while (text.length() < length) {
            text.append(vocabulary[random.nextInt(vocabulary.length)]).append(' ');
        }
        return text.toString();
    }
}
