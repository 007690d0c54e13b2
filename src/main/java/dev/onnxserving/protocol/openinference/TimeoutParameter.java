package dev.onnxserving.protocol.openinference;

import dev.onnxserving.pipeline.InvalidInputException;
import java.time.Duration;
import java.util.Map;

/**
 * The request-level {@code timeout} parameter of the v2 protocol, as Triton defines it: a whole number of
 * microseconds, 0 meaning none.
 */
public final class TimeoutParameter {

    static final String NAME = "timeout";

    private TimeoutParameter() {}

    /**
     * @return the timeout, or {@code null} when the request gives none (absent or 0)
     * @throws InvalidInputException naming the parameter when it is not a non-negative whole number
     */
    public static Duration from(Map<String, Object> parameters) {
        Object value = parameters.get(NAME);
        if (value == null) {
            return null;
        }
        if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < 0) {
            throw InvalidInputException.at(
                    "/parameters/" + NAME,
                    "expected a non-negative whole number of microseconds (0 for none), got " + value);
        }
        long micros = ((Number) value).longValue();
        return micros == 0 ? null : Duration.ofNanos(Math.multiplyExact(micros, 1000L));
    }
}
