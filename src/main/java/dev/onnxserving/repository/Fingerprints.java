package dev.onnxserving.repository;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Cheap fingerprints of folders on disk: the relative path, size and modification time of every regular file. Two
 * equal fingerprints taken some time apart mean nobody wrote in between; contents are not read.
 */
public final class Fingerprints {

    static final int VERSION_DEPTH = 4;
    private static final String UNREADABLE = "unreadable:";

    private Fingerprints() {}

    /** Every file of a version folder (and its subfolders, for external weights). */
    public static String ofTree(Path directory) {
        return of(directory, false);
    }

    /**
     * Every file of a model folder outside its version folders: {@code model.yaml}, labels, tokenizers, vocabularies,
     * also in subfolders that are not version numbers. The version folders are not walked.
     */
    public static String ofModelFiles(Path modelDirectory) {
        return of(modelDirectory, true);
    }

    private static String of(Path directory, boolean skipVersionFolders) {
        if (!Files.isDirectory(directory)) {
            return "absent";
        }
        Map<Path, BasicFileAttributes> files = new TreeMap<>();
        try {
            Files.walkFileTree(directory, Set.of(), VERSION_DEPTH, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path folder, BasicFileAttributes attributes) {
                    boolean versionFolder = skipVersionFolders
                            && directory.equals(folder.getParent())
                            && VersionNumbers.isValid(folder.getFileName().toString());
                    return versionFolder ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    BasicFileAttributes target = attributes.isSymbolicLink() ? linkTarget(file) : attributes;
                    if (target != null && target.isRegularFile()) {
                        files.put(file, target);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // the folder changes under us (a copy or a rename in progress): a value that never repeats, never settles
            return UNREADABLE + System.nanoTime();
        }
        MessageDigest digest = sha256();
        files.forEach((file, attributes) -> {
            String line = directory.relativize(file) + "|" + attributes.size() + "|"
                    + attributes.lastModifiedTime().toInstant() + "\n";
            digest.update(line.getBytes(StandardCharsets.UTF_8));
        });
        return HexFormat.of().formatHex(digest.digest(), 0, 16);
    }

    /** What a link points to (a mounted ConfigMap links its files); {@code null} for a broken link. */
    private static BasicFileAttributes linkTarget(Path link) throws IOException {
        try {
            return Files.readAttributes(link, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
