package dev.onnxserving.management;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The management API, {@code serving.management.*}. It is off unless a key is set.
 *
 * @param apiKey the bearer token every management call needs, at least 16 characters; the management API is off
 *     (404) without one
 * @param port a separate port for the management API, 0 to 65535; when set, the management paths answer only there
 *     and that port answers nothing else. 0 picks a free port (for tests)
 * @param address the address the management port binds to; every address when absent
 */
@Validated
@ConfigurationProperties("serving.management")
public record ManagementProperties(
        @Pattern(regexp = "|.{16,}", message = "must be empty (the management API off) or at least 16 characters")
        String apiKey,

        @Min(0) @Max(65_535) Integer port,

        @Pattern(regexp = "\\S+", message = "must be an address such as 127.0.0.1, without spaces")
        String address) {

    /** A key read from a secret file or variable often ends in a line break; it is not part of the key. */
    public ManagementProperties {
        apiKey = apiKey == null ? null : apiKey.strip();
    }

    public boolean enabled() {
        return apiKey != null && !apiKey.isEmpty();
    }
}
