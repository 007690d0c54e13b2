package dev.onnxserving.management;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The management API, {@code serving.management.*}. It is off unless a key is set.
 *
 * <pre>
 * serving.management.api-key=${ONNX_SERVING_API_KEY}   # at least 16 characters; every call needs it as a bearer token
 * serving.management.port=9091                         # optional: serve the management API on this port only
 * serving.management.address=127.0.0.1                 # optional: the address that port listens on
 * </pre>
 *
 * @param apiKey the bearer key; the API is off (404) without one
 * @param port a separate port for the management API; when set, the management paths answer only there and that
 *     port answers nothing else. 0 picks a free port (for tests)
 * @param address the address the management port binds to; every address when absent
 */
@ConfigurationProperties("serving.management")
public record ManagementProperties(String apiKey, Integer port, String address) {

    static final int SHORTEST_KEY = 16;

    public ManagementProperties {
        apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey.strip();
        if (apiKey != null && apiKey.length() < SHORTEST_KEY) {
            throw new IllegalArgumentException("serving.management.api-key must have at least " + SHORTEST_KEY
                    + " characters, it has " + apiKey.length());
        }
        if (port != null && (port < 0 || port > 65_535)) {
            throw new IllegalArgumentException("serving.management.port must be 0 to 65535, got " + port);
        }
        address = address == null || address.isBlank() ? null : address.strip();
    }

    public boolean enabled() {
        return apiKey != null;
    }
}
