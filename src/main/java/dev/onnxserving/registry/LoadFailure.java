package dev.onnxserving.registry;

import java.util.Locale;

/** Why a version failed to load, as a small fixed set fit for a metric tag; the full reason goes to the listing. */
public enum LoadFailure {
    /** ONNX Runtime cannot open the model file: corrupt, truncated, unsupported. */
    MODEL_FILE,
    /** The signature changed in a way the model's processors cannot take. */
    INCOMPATIBLE_SIGNATURE,
    /** The processors refuse the model or its options. */
    PROCESSORS,
    /** The warm-up run failed. */
    WARMUP,
    /** {@code model.yaml} is unreadable or invalid. */
    SETTINGS,
    /** Anything else; the log has the stack trace. */
    UNEXPECTED;

    /** The metric tag value, e.g. {@code model-file}. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
