package dev.onnxserving.processors.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NativeTokenizerLibraryTests {

    private static final List<String> PROPERTIES = List.of(
            NativeTokenizerLibrary.CACHE_DIR,
            NativeTokenizerLibrary.ENGINE_CACHE_DIR,
            NativeTokenizerLibrary.OFFLINE_PROPERTY);

    private final Map<String, String> saved = new HashMap<>();

    @BeforeEach
    void clearProperties() {
        assumeTrue(System.getenv(NativeTokenizerLibrary.CACHE_DIR) == null
                && System.getenv(NativeTokenizerLibrary.ENGINE_CACHE_DIR) == null
                && System.getenv(NativeTokenizerLibrary.OFFLINE_VARIABLE) == null);
        for (String name : PROPERTIES) {
            saved.put(name, System.getProperty(name));
            System.clearProperty(name);
        }
    }

    @AfterEach
    void restoreProperties() {
        saved.forEach((name, value) -> {
            if (value == null) {
                System.clearProperty(name);
            } else {
                System.setProperty(name, value);
            }
        });
    }

    @Test
    void movesTheNativeLibraryCacheToTheTempDirectoryAndGoesOffline() {
        NativeTokenizerLibrary.prepare();

        assertThat(System.getProperty(NativeTokenizerLibrary.CACHE_DIR))
                .isEqualTo(
                        Path.of(System.getProperty("java.io.tmpdir"), "djl.ai").toString());
        assertThat(System.getProperty(NativeTokenizerLibrary.OFFLINE_PROPERTY)).isEqualTo("true");
    }

    @Test
    void keepsWhatTheOperatorConfigured() {
        System.setProperty(NativeTokenizerLibrary.ENGINE_CACHE_DIR, "/var/cache/djl");
        System.setProperty(NativeTokenizerLibrary.OFFLINE_PROPERTY, "false");

        NativeTokenizerLibrary.prepare();

        assertThat(System.getProperty(NativeTokenizerLibrary.CACHE_DIR)).isNull();
        assertThat(System.getProperty(NativeTokenizerLibrary.OFFLINE_PROPERTY)).isEqualTo("false");
    }
}
