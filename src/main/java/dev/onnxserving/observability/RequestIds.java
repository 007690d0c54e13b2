package dev.onnxserving.observability;

import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Chooses the id a request is known by in logs and in its response: the caller's {@code X-Request-Id} when it is a
 * safe token, else the trace id of a valid W3C {@code traceparent}, else a new random id in the trace-id format (32
 * lowercase hex digits). A caller's id is only ever taken verbatim, never trimmed or rewritten, so both sides can
 * search for the same string; anything that could break a log line (spaces, quotes, control characters, more than
 * 128 characters) is ignored rather than cleaned.
 */
public final class RequestIds {

    public static final String REQUEST_ID_HEADER = "X-Request-Id";
    public static final String TRACEPARENT_HEADER = "traceparent";

    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._:@/+=-]{1,128}");
    private static final Pattern TRACEPARENT =
            Pattern.compile("([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?");
    private static final String INVALID_VERSION = "ff";
    private static final String ZERO_TRACE_ID = "0".repeat(32);
    private static final String ZERO_PARENT_ID = "0".repeat(16);

    private RequestIds() {}

    /** The id for a request carrying these header values; either may be {@code null}. */
    public static String resolve(String requestIdHeader, String traceparentHeader) {
        return fromRequestId(requestIdHeader)
                .or(() -> traceIdOf(traceparentHeader))
                .orElseGet(RequestIds::generate);
    }

    static Optional<String> fromRequestId(String header) {
        return header != null && SAFE_ID.matcher(header).matches() ? Optional.of(header) : Optional.empty();
    }

    /**
     * The trace id of a {@code traceparent} header as the W3C Trace Context recommendation defines it: version
     * {@code ff} and all-zero ids are invalid, and version {@code 00} has exactly four fields.
     */
    static Optional<String> traceIdOf(String header) {
        if (header == null) {
            return Optional.empty();
        }
        Matcher parts = TRACEPARENT.matcher(header.trim());
        if (!parts.matches()) {
            return Optional.empty();
        }
        String version = parts.group(1);
        String traceId = parts.group(2);
        boolean valid = !version.equals(INVALID_VERSION)
                && !traceId.equals(ZERO_TRACE_ID)
                && !parts.group(3).equals(ZERO_PARENT_ID)
                && !(version.equals("00") && parts.group(5) != null);
        return valid ? Optional.of(traceId) : Optional.empty();
    }

    /** A new id: 128 random bits as 32 lowercase hex digits. Unique enough to correlate, not a secret. */
    static String generate() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        HexFormat hex = HexFormat.of();
        return hex.toHexDigits(random.nextLong()) + hex.toHexDigits(random.nextLong());
    }
}
