package dev.onnxserving.processors.text;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Hugging Face tokenizer ({@code tokenizer.json}) set up to truncate every text to {@code maxLength} tokens,
 * special tokens included, keeping its beginning, and to pad a batch to its longest text or to {@code maxLength}.
 *
 * <p>Long texts are cut before they reach the tokenizer, so a megabyte of text costs about as much as a page: the
 * text is cut at an ASCII space, and the cut is kept only if the part before it already has more tokens than fit;
 * otherwise the part grows fourfold until it has or the whole text is used. This gives exactly the tokens
 * of the whole text for every tokenizer whose words never span an ASCII space (BERT WordPiece, SentencePiece
 * Metaspace, byte-level BPE), since the tokens before such a space do not depend on what follows it.
 *
 * <p>Thread-safe. {@link #close()} releases the native tokenizer; it must not be used afterwards.
 */
final class TextTokenizer implements AutoCloseable {

    /** Texts up to this many characters per token of {@code maxLength} go to the tokenizer whole. */
    static final int CHARACTERS_PER_TOKEN = 16;

    private static final int MIN_CUT = 1024;
    private static final int GROWTH = 4;

    /**
     * A batch of encoded texts, each array row-major {@code [rows, length]}.
     *
     * @param tokens how many tokens of each text are not special tokens ({@code [CLS]}, {@code [SEP]}) or padding
     */
    record Batch(int rows, int length, long[] ids, long[] attentionMask, long[] typeIds, int[] tokens) {}

    private final HuggingFaceTokenizer tokenizer;
    private final int maxLength;
    private final int cut;

    private TextTokenizer(HuggingFaceTokenizer tokenizer, int maxLength) {
        this.tokenizer = tokenizer;
        this.maxLength = maxLength;
        this.cut = Math.max(MIN_CUT, maxLength * CHARACTERS_PER_TOKEN);
    }

    /**
     * Loads {@code file}, first preparing the native library's environment ({@link NativeTokenizerLibrary}).
     *
     * @param padToMaxLength pad every text to {@code maxLength} instead of to the longest text of the batch
     * @throws IOException when the file cannot be read
     */
    static TextTokenizer open(Path file, int maxLength, boolean padToMaxLength) throws IOException {
        NativeTokenizerLibrary.prepare();
        HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(
                file,
                Map.of(
                        "addSpecialTokens",
                        "true",
                        "truncation",
                        "true",
                        "maxLength",
                        Integer.toString(maxLength),
                        "padding",
                        padToMaxLength ? "max_length" : "true"));
        return new TextTokenizer(tokenizer, maxLength);
    }

    int maxLength() {
        return maxLength;
    }

    /** Encodes {@code texts} (at least one) as one padded batch. */
    Batch encode(List<String> texts) {
        List<String> bounded = new ArrayList<>(texts.size());
        for (String text : texts) {
            bounded.add(bounded(text));
        }
        Encoding[] encodings = tokenizer.batchEncode(bounded, true, false);
        int rows = encodings.length;
        int length = encodings[0].getIds().length;
        long[] ids = new long[rows * length];
        long[] mask = new long[rows * length];
        long[] types = new long[rows * length];
        int[] tokens = new int[rows];
        for (int row = 0; row < rows; row++) {
            Encoding encoding = encodings[row];
            if (encoding.getIds().length != length) {
                throw new IllegalStateException("the tokenizer padded text " + row + " to " + encoding.getIds().length
                        + " tokens, the others to " + length);
            }
            System.arraycopy(encoding.getIds(), 0, ids, row * length, length);
            System.arraycopy(encoding.getAttentionMask(), 0, mask, row * length, length);
            System.arraycopy(encoding.getTypeIds(), 0, types, row * length, length);
            tokens[row] = countTokens(encoding);
        }
        return new Batch(rows, length, ids, mask, types, tokens);
    }

    /** The shortest leading part of {@code text} that has the same first {@code maxLength} tokens as the whole. */
    String bounded(String text) {
        int size = cut;
        while (size < text.length()) {
            int space = text.indexOf(' ', size);
            if (space < 0) {
                return text;
            }
            String part = text.substring(0, space);
            if (tokenizer.encode(part, true, false).exceedMaxLength()) {
                return part;
            }
            size = size > Integer.MAX_VALUE / GROWTH ? Integer.MAX_VALUE : size * GROWTH;
        }
        return text;
    }

    private static int countTokens(Encoding encoding) {
        long[] mask = encoding.getAttentionMask();
        long[] special = encoding.getSpecialTokenMask();
        int count = 0;
        for (int i = 0; i < mask.length; i++) {
            if (mask[i] != 0 && special[i] == 0) {
                count++;
            }
        }
        return count;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
