package dev.onnxserving.processors.text;

import java.nio.file.Path;

/**
 * Prepares the environment of the native Hugging Face tokenizer library (DJL) before its first use.
 *
 * <p>DJL extracts its native library into a cache directory, {@code ~/.djl.ai} unless {@code DJL_CACHE_DIR} or
 * {@code ENGINE_CACHE_DIR} (environment variable or system property) says otherwise. A container with a read-only
 * root file system has no writable home, so when neither is set the cache moves to {@code java.io.tmpdir/djl.ai}.
 * DJL is also put in offline mode ({@code ai.djl.offline=true}) unless {@code DJL_OFFLINE} or {@code ai.djl.offline}
 * is set: the library ships inside its jar, and nothing is ever downloaded at run time.
 */
final class NativeTokenizerLibrary {

    static final String CACHE_DIR = "DJL_CACHE_DIR";
    static final String ENGINE_CACHE_DIR = "ENGINE_CACHE_DIR";
    static final String OFFLINE_PROPERTY = "ai.djl.offline";
    static final String OFFLINE_VARIABLE = "DJL_OFFLINE";

    private NativeTokenizerLibrary() {}

    /** Sets the defaults described above; idempotent, and never overrides what the operator configured. */
    static synchronized void prepare() {
        if (!isSet(CACHE_DIR) && !isSet(ENGINE_CACHE_DIR)) {
            System.setProperty(
                    CACHE_DIR,
                    Path.of(System.getProperty("java.io.tmpdir"), "djl.ai").toString());
        }
        if (isBlank(System.getProperty(OFFLINE_PROPERTY)) && isBlank(System.getenv(OFFLINE_VARIABLE))) {
            System.setProperty(OFFLINE_PROPERTY, "true");
        }
    }

    private static boolean isSet(String name) {
        return !isBlank(System.getProperty(name)) || !isBlank(System.getenv(name));
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
