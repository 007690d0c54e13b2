package dev.onnxserving.repository.source;

/**
 * A source could not answer. The message says what was asked and what went wrong, names the location and never
 * carries a credential.
 */
public class SourceException extends RuntimeException {

    /** Why, in a small fixed set: the metric tag {@code reason} and the retry policy depend on it. */
    public enum Reason {
        /** the source could not be reached: refused, reset, unknown host, TLS failure */
        UNREACHABLE,
        /** connecting or reading took longer than the configured timeout */
        TIMEOUT,
        /** the credentials were missing, wrong or not allowed to read */
        UNAUTHORIZED,
        /** the model, version or file is not there */
        NOT_FOUND,
        /** what arrived does not match its digest or size */
        CORRUPT,
        /** the source answered something this server cannot use (a malformed listing, an unsafe path) */
        INVALID,
        /** the source failed on its side (a 5xx) */
        FAILED;

        /** The metric tag value: lower case. */
        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Reason reason;

    public SourceException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public SourceException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
