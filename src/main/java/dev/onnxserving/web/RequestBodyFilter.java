package dev.onnxserving.web;

import dev.onnxserving.pipeline.InvalidInputException;
import dev.onnxserving.pipeline.PayloadTooLargeException;
import dev.onnxserving.pipeline.ServingException;
import dev.onnxserving.pipeline.UnsupportedMediaTypeException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.ZipException;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Every request body passes here: a {@code Content-Encoding} of gzip or deflate is decompressed as the body is read,
 * and the size limit bounds the decompressed bytes, so a decompression bomb ends in a 413 after at most the limit,
 * never in memory. A coding other than gzip, deflate and identity, a declared charset other than UTF-8, or a
 * compressed multipart body is refused with 415 before the body is read. Refusals go through the application's
 * error handler; failures while reading surface as {@link ServingException}s from the stream.
 */
@Component
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class RequestBodyFilter extends OncePerRequestFilter {

    private final long limit;
    private final HandlerExceptionResolver errors;

    RequestBodyFilter(
            WebLimitsProperties limits, @Qualifier("handlerExceptionResolver") HandlerExceptionResolver errors) {
        this.limit = limits.maxRequestSize().toBytes();
        this.errors = errors;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        List<ContentCoding> codings;
        try {
            codings = ContentCoding.parse(request.getHeader("Content-Encoding"));
            checkMediaType(request.getContentType(), !codings.isEmpty());
        } catch (UnsupportedMediaTypeException e) {
            errors.resolveException(request, response, null, e);
            return;
        }
        BodyRequest body = new BodyRequest(request, codings, limit);
        try {
            chain.doFilter(body, response);
        } finally {
            body.release();
        }
    }

    /** Only UTF-8 (or its subset US-ASCII) text is read; only non-multipart bodies may be compressed. */
    private static void checkMediaType(String contentType, boolean compressed) {
        if (contentType == null || !compressed && contentType.indexOf(';') < 0) {
            return; // no charset parameter to check: the common request is not parsed
        }
        MediaType type;
        try {
            type = MediaType.parseMediaType(contentType);
        } catch (InvalidMediaTypeException e) {
            return; // Spring MVC answers an unparsable Content-Type with its own 415
        }
        String charset = type.getParameter("charset");
        if (charset != null && !isUtf8(charset)) {
            throw new UnsupportedMediaTypeException("charset '" + charset.replace("\"", "")
                    + "' is not supported; send the body as UTF-8 (charset=utf-8, or no charset)");
        }
        if (compressed && type.isCompatibleWith(MediaType.MULTIPART_FORM_DATA)) {
            throw new UnsupportedMediaTypeException("a compressed multipart/form-data body is not supported; send"
                    + " uploads without Content-Encoding, or compress an application/json body");
        }
    }

    private static boolean isUtf8(String charset) {
        try {
            Charset named = Charset.forName(charset.replace("\"", "").strip());
            return named.equals(StandardCharsets.UTF_8) || named.equals(StandardCharsets.US_ASCII);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static final class BodyRequest extends HttpServletRequestWrapper {
        private final List<ContentCoding> codings;
        private final long limit;
        private InputStream decoded;
        private ServletInputStream stream;

        BodyRequest(HttpServletRequest request, List<ContentCoding> codings, long limit) {
            super(request);
            this.codings = codings;
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                ServletInputStream raw = super.getInputStream();
                InputStream body = new FilterInputStream(raw) {
                    @Override
                    public void close() {
                        // the container owns the connection's stream
                    }
                };
                for (int i = codings.size() - 1; i >= 0; i--) {
                    body = new DecodingStream(body, codings.get(i));
                }
                decoded = body;
                stream = new LimitedStream(raw, body, limit, codings.isEmpty() ? super.getContentLengthLong() : -1);
            }
            return stream;
        }

        /** The decompressed length is not known ahead. */
        @Override
        public long getContentLengthLong() {
            return codings.isEmpty() ? super.getContentLengthLong() : -1;
        }

        @Override
        public int getContentLength() {
            return codings.isEmpty() ? super.getContentLength() : -1;
        }

        /** Frees the decoders (the container's stream stays open). */
        void release() throws IOException {
            if (decoded != null) {
                decoded.close();
            }
        }
    }

    /** Decodes one content coding, started at the first read; corrupt data is a client error. */
    private static final class DecodingStream extends InputStream {
        private final InputStream encoded;
        private final ContentCoding coding;
        private InputStream decoded;

        DecodingStream(InputStream encoded, ContentCoding coding) {
            this.encoded = encoded;
            this.coding = coding;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            try {
                if (decoded == null) {
                    decoded = coding.decode(encoded);
                }
                return decoded.read(buffer, offset, length);
            } catch (ZipException | EOFException e) {
                throw new InvalidInputException("request body is not valid " + coding.label()
                        + " data (Content-Encoding: " + coding.label() + "): "
                        + (e instanceof EOFException ? "the compressed data ends early" : e.getMessage()));
            }
        }

        @Override
        public void close() throws IOException {
            if (decoded != null) {
                decoded.close();
            }
        }
    }

    /** Counts the (decoded) bytes the application reads and refuses any beyond the limit. */
    private static final class LimitedStream extends ServletInputStream {
        private final ServletInputStream raw;
        private final InputStream body;
        private final long limit;
        private final long declaredLength;
        private long read;

        LimitedStream(ServletInputStream raw, InputStream body, long limit, long declaredLength) {
            this.raw = raw;
            this.body = body;
            this.limit = limit;
            this.declaredLength = declaredLength;
        }

        @Override
        public int read() throws IOException {
            checkDeclared();
            int value = body.read();
            if (value >= 0) {
                count(1);
            }
            return value;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            checkDeclared();
            int count = body.read(buffer, offset, length);
            if (count > 0) {
                count(count);
            }
            return count;
        }

        private void checkDeclared() {
            if (declaredLength > limit) {
                throw new PayloadTooLargeException(limit);
            }
        }

        private void count(int bytes) {
            read += bytes;
            if (read > limit) {
                throw new PayloadTooLargeException(limit);
            }
        }

        @Override
        public boolean isFinished() {
            return raw.isFinished();
        }

        @Override
        public boolean isReady() {
            return raw.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            raw.setReadListener(listener);
        }
    }
}
