package dev.onnxserving.repository;

import dev.onnxserving.pipeline.ServingException;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One model's own files ({@code model.yaml} and everything else beside its version folders: labels, tokenizers,
 * vocabularies): whether they changed, whether the change has settled, and what {@code model.yaml} says. Changes are
 * made under that model's lock; reading the settings is safe from any thread.
 */
public final class ModelFiles {

    private static final Logger log = LoggerFactory.getLogger(ModelFiles.class);

    private final String name;
    private final Path directory;
    private final FolderStability stability;
    private volatile String fingerprint;
    private volatile ModelSettings settings;
    private volatile String problem;

    /**
     * The outcome of one look.
     *
     * @param read the files changed, settled, and were read again
     * @param pending the files changed but are still changing
     */
    public record Check(boolean read, boolean pending) {}

    public ModelFiles(String name, Path directory, FolderStability stability) {
        this.name = name;
        this.directory = directory;
        this.stability = stability;
    }

    /**
     * Reads {@code model.yaml} again when the model's files changed and have settled.
     *
     * @param trust take what is on disk as settled (start-up)
     */
    public Check check(boolean trust) {
        String now = Fingerprints.ofModelFiles(directory);
        if (now.equals(fingerprint)) {
            return new Check(false, false);
        }
        if (trust) {
            stability.trust(directory, now);
        }
        if (!stability.isSettled(directory, now)) {
            return new Check(false, true);
        }
        boolean first = fingerprint == null;
        fingerprint = now;
        try {
            ModelSettings read = ModelSettings.read(directory);
            if (!first) {
                log.info(
                        "Model '{}': its {} or other model files changed; its versions load again with them",
                        name,
                        ModelSettings.FILE);
            }
            settings = read;
            problem = null;
        } catch (ServingException e) {
            problem = e.getMessage();
            log.error("Model '{}' has an unusable {}: {}", name, ModelSettings.FILE, e.getMessage());
        }
        return new Check(true, false);
    }

    /** The model folder these files are in. */
    public Path directory() {
        return directory;
    }

    /** Whether the files have been read at least once. */
    public boolean isRead() {
        return fingerprint != null;
    }

    /** The fingerprint of the files as last read, part of every version's fingerprint. */
    public String fingerprint() {
        return fingerprint == null ? "" : fingerprint;
    }

    /** The last usable settings; the defaults before any were read. */
    public ModelSettings settings() {
        return settings == null ? ModelSettings.defaults() : settings;
    }

    /** Why the files as last read cannot be used, when they cannot. */
    public Optional<String> problem() {
        return Optional.ofNullable(problem);
    }
}
