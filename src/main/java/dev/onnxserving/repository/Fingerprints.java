package dev.onnxserving.repository;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

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
        return of(directory, VERSION_DEPTH);
    }

    /**
     * Every file of a model folder outside its version folders: {@code model.yaml}, labels, tokenizers, vocabularies,
     * also in subfolders that are not version numbers.
     */
    public static String ofModelFiles(Path modelDirectory) {
        return of(modelDirectory, VERSION_DEPTH, file -> {
            Path first = modelDirectory.relativize(file).getName(0);
            return modelDirectory.relativize(file).getNameCount() == 1 || !VersionNumbers.isValid(first.toString());
        });
    }

    private static String of(Path directory, int depth) {
        return of(directory, depth, file -> true);
    }

    private static String of(Path directory, int depth, java.util.function.Predicate<Path> include) {
        if (!Files.isDirectory(directory)) {
            return "absent";
        }
        MessageDigest digest = sha256();
        try (Stream<Path> walk = Files.walk(directory, depth)) {
            List<Path> files =
                    walk.filter(Files::isRegularFile).filter(include).sorted().toList();
            for (Path file : files) {
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                String line = directory.relativize(file) + "|" + attributes.size() + "|"
                        + attributes.lastModifiedTime().toInstant() + "\n";
                digest.update(line.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException | UncheckedIOException e) {
            // the folder changes under us (a copy or a rename in progress): a value that never repeats, never settles
            return UNREADABLE + System.nanoTime();
        }
        return HexFormat.of().formatHex(digest.digest(), 0, 16);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
