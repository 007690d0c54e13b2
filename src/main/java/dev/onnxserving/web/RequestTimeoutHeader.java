package dev.onnxserving.web;

import dev.onnxserving.pipeline.InvalidInputException;
import java.time.Duration;

/** The {@code Request-Timeout} header: how many milliseconds the client gives the request, a positive integer. */
public final class RequestTimeoutHeader {

    public static final String NAME = "Request-Timeout";
    private static final int MAX_DIGITS = 12;

    private RequestTimeoutHeader() {}

    /**
     * @param value the header's value, or {@code null} when the request has none
     * @return the timeout, or {@code null} when the header is absent
     * @throws InvalidInputException naming the header when the value is not a positive whole number
     */
    public static Duration parse(String value) {
        if (value == null) {
            return null;
        }
        String trimmed = value.trim();
        boolean digits = !trimmed.isEmpty()
                && trimmed.length() <= MAX_DIGITS
                && trimmed.chars().allMatch(c -> c >= '0' && c <= '9');
        long millis = digits ? Long.parseLong(trimmed) : 0;
        if (millis <= 0) {
            throw new InvalidInputException("header " + NAME
                    + ": expected a positive whole number of milliseconds (at most " + MAX_DIGITS + " digits), got '"
                    + shorten(value) + "'");
        }
        return Duration.ofMillis(millis);
    }

    private static String shorten(String value) {
        return value.length() > 40 ? value.substring(0, 40) + "..." : value;
    }
}
