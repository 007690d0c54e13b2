package dev.onnxserving.web;

import dev.onnxserving.pipeline.UnsupportedMediaTypeException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * A request body's {@code Content-Encoding}: {@code gzip} (RFC 1952) and {@code deflate}, zlib-wrapped (RFC 1950,
 * what the Triton client sends) or raw (RFC 1951), are decompressed as the body is read; {@code identity} (the body
 * as it is) needs nothing. Anything else is refused.
 */
enum ContentCoding {
    GZIP,
    DEFLATE;

    static final String SUPPORTED = "gzip, deflate, identity";

    /**
     * The codings of a {@code Content-Encoding} header in the order they were applied, without {@code identity}.
     *
     * @throws UnsupportedMediaTypeException for a coding other than gzip, deflate and identity
     */
    static List<ContentCoding> parse(String header) {
        if (header == null) {
            return List.of();
        }
        List<ContentCoding> codings = new ArrayList<>();
        for (String token : header.split(",")) {
            String name = token.strip().toLowerCase(Locale.ROOT);
            switch (name) {
                case "", "identity" -> {}
                case "gzip", "x-gzip" -> codings.add(GZIP);
                case "deflate" -> codings.add(DEFLATE);
                default ->
                    throw new UnsupportedMediaTypeException("Content-Encoding '" + token.strip()
                            + "' is not supported; send the body with one of: " + SUPPORTED);
            }
        }
        return codings;
    }

    /** The decoded body; closing it frees the decoder (and closes {@code encoded}). */
    InputStream decode(InputStream encoded) throws IOException {
        return switch (this) {
            case GZIP -> new GZIPInputStream(encoded);
            case DEFLATE -> {
                PushbackInputStream body = new PushbackInputStream(encoded, 2);
                byte[] start = body.readNBytes(2);
                body.unread(start);
                yield new RawOrZlibInflaterStream(body, new Inflater(!isZlibHeader(start)));
            }
        };
    }

    /** RFC 1950: compression method 8 and a header that is a multiple of 31. */
    private static boolean isZlibHeader(byte[] start) {
        return start.length == 2 && (start[0] & 0x0f) == 8 && (((start[0] & 0xff) << 8) | (start[1] & 0xff)) % 31 == 0;
    }

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** An inflating stream that owns its inflater and ends it on close. */
    private static final class RawOrZlibInflaterStream extends InflaterInputStream {
        RawOrZlibInflaterStream(InputStream in, Inflater inflater) {
            super(in, inflater);
        }

        @Override
        public void close() throws IOException {
            try {
                super.close();
            } finally {
                inf.end();
            }
        }
    }
}
