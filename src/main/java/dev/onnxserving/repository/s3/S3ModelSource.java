package dev.onnxserving.repository.s3;

import dev.onnxserving.repository.VersionNumbers;
import dev.onnxserving.repository.source.ModelSource;
import dev.onnxserving.repository.source.SourceException;
import dev.onnxserving.repository.source.SourceException.Reason;
import dev.onnxserving.repository.source.SourceFile;
import dev.onnxserving.repository.source.SourceListing;
import dev.onnxserving.repository.source.SourceVersion;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * One model below an S3 prefix, laid out like the disk repository: {@code <prefix>/<model>/model.yaml} and the other
 * model files, {@code <prefix>/<model>/<version>/...} for each version. Listings page through any number of versions;
 * folders whose names are not version numbers are ignored.
 *
 * <p>Calls are never retried here (the client is built without SDK retries): the caller backs off and tries again.
 */
final class S3ModelSource implements ModelSource {

    private final S3Client client;
    private final S3Location location;

    S3ModelSource(S3Client client, S3Location location) {
        this.client = client;
        this.location = location;
    }

    @Override
    public String location() {
        return location.toString();
    }

    @Override
    public SourceListing list() {
        List<SourceFile> files = new ArrayList<>();
        SortedSet<Long> versions = new TreeSet<>();
        String prefix = location.folder();
        try {
            S3Listing.folder(
                    client,
                    location,
                    object -> files.add(FileDigests.describe(
                            client, location.bucket(), object, object.key().substring(prefix.length()))),
                    folder -> {
                        if (VersionNumbers.isValid(folder)) {
                            versions.add(Long.parseLong(folder));
                        }
                    });
        } catch (SdkException failure) {
            throw S3Failures.of("listing " + location, failure);
        }
        if (files.isEmpty() && versions.isEmpty()) {
            throw new SourceException(
                    Reason.NOT_FOUND, "listing " + location + ": nothing there (no model files, no version folders)");
        }
        return new SourceListing(files, versions);
    }

    @Override
    public SourceVersion version(long number) {
        S3Location folder = location.child(Long.toString(number));
        String prefix = folder.folder();
        List<SourceFile> files = new ArrayList<>();
        try {
            S3Listing.everything(
                    client,
                    folder,
                    object -> files.add(FileDigests.describe(
                            client, location.bucket(), object, object.key().substring(prefix.length()))));
        } catch (SdkException failure) {
            throw S3Failures.of("listing version " + number + " at " + folder, failure);
        }
        if (files.isEmpty()) {
            throw new SourceException(Reason.NOT_FOUND, "version " + number + " not found: nothing at " + folder);
        }
        files.sort(Comparator.comparing(SourceFile::path));
        return new SourceVersion(number, digest(files), files);
    }

    @Override
    public void fetch(SourceFile file, Path target) {
        new S3Download(client, location.bucket(), file).to(target);
    }

    /** sha256 over the files' paths and digests in path order: equal when every file is. */
    static String digest(List<SourceFile> sortedFiles) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            for (SourceFile file : sortedFiles) {
                sha256.update((file.path() + '\0' + file.digest() + '\n').getBytes(StandardCharsets.UTF_8));
            }
            return "sha256:" + HexFormat.of().formatHex(sha256.digest());
        } catch (NoSuchAlgorithmException absent) {
            throw new IllegalStateException("every Java runtime has SHA-256", absent);
        }
    }
}
