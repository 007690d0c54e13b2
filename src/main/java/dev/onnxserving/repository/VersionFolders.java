package dev.onnxserving.repository;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A model's version folders as one look found them. A version's fingerprint covers its folder and the model's own
 * files, so a change of either (a new {@code model.onnx}, an edited {@code model.yaml}, an added labels file) makes
 * the version look changed, and a version that failed with other files is tried again.
 *
 * @param versions every version on disk by number
 * @param fingerprints each version's fingerprint
 * @param settled the versions whose folder has stayed unchanged for the settle time: safe to load
 */
public record VersionFolders(Map<Long, ModelVersion> versions, Map<Long, String> fingerprints, Set<Long> settled) {

    private static final String SEPARATOR = "+";

    /**
     * @param trust take what is on disk as settled (start-up)
     * @param modelFiles the fingerprint of the model's own files as last read
     */
    public static VersionFolders observe(
            List<ModelVersion> onDisk, FolderStability stability, boolean trust, String modelFiles) {
        Map<Long, ModelVersion> versions = new LinkedHashMap<>();
        Map<Long, String> fingerprints = new LinkedHashMap<>();
        Set<Long> settled = new HashSet<>();
        for (ModelVersion version : onDisk) {
            String folder = Fingerprints.ofTree(version.directory());
            if (trust) {
                stability.trust(version.directory(), folder);
            }
            versions.put(version.version(), version);
            fingerprints.put(version.version(), folder + SEPARATOR + modelFiles);
            if (stability.isSettled(version.directory(), folder)) {
                settled.add(version.version());
            }
        }
        return new VersionFolders(Map.copyOf(versions), Map.copyOf(fingerprints), Set.copyOf(settled));
    }

    /** Whether some version folder is still changing. */
    public boolean pending() {
        return settled.size() < versions.size();
    }

    /** Whether {@code fingerprint} (of a loaded version) was taken with the model files {@code modelFiles}. */
    public static boolean sameModelFiles(String fingerprint, String modelFiles) {
        return fingerprint.endsWith(SEPARATOR + modelFiles);
    }
}
