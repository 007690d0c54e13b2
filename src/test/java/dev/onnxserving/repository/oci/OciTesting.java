package dev.onnxserving.repository.oci;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Properties and contents shared by the OCI source tests. */
final class OciTesting {

    private OciTesting() {}

    /** Plain HTTP to {@code registry}, credentials only from {@code configFile} (which may be missing). */
    static OciProperties properties(String registry, Path configFile) {
        return properties(registry, configFile, null, null, Duration.ofSeconds(10));
    }

    static OciProperties properties(
            String registry, Path configFile, String username, String password, Duration readTimeout) {
        return new OciProperties(
                List.of(registry), configFile, username, password, null, Duration.ofSeconds(5), readTimeout);
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Content that differs by seed, of any length. */
    static byte[] content(int length, int seed) {
        byte[] content = new byte[length];
        new java.util.Random(seed).nextBytes(content);
        return content;
    }
}
