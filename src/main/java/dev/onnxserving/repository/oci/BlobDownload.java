package dev.onnxserving.repository.oci;

import dev.onnxserving.repository.source.SourceException;
import dev.onnxserving.repository.source.SourceException.Reason;
import dev.onnxserving.repository.source.SourceFile;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

/** Streams a blob to a file while hashing it, then checks its length and its sha256 against the manifest's. */
final class BlobDownload {

    private static final int BUFFER = 64 * 1024;

    private BlobDownload() {}

    static void toFile(RegistryResponse response, SourceFile file, Path target, String what) {
        MessageDigest sha256 = Sha256.digest();
        long received = 0;
        try (response;
                OutputStream out = Files.newOutputStream(target)) {
            byte[] buffer = new byte[BUFFER];
            for (int count; (count = readFromRegistry(response, buffer, what, received)) >= 0; ) {
                received += count;
                if (file.size() >= 0 && received > file.size()) {
                    throw new SourceException(
                            Reason.CORRUPT,
                            what + ": the blob is longer than the manifest's " + file.size() + " bytes");
                }
                sha256.update(buffer, 0, count);
                out.write(buffer, 0, count);
            }
        } catch (IOException e) {
            throw new SourceException(
                    Reason.FAILED, what + ": cannot write " + target + " (" + e.getMessage() + ")", e);
        }
        if (file.size() >= 0 && received != file.size()) {
            throw new SourceException(
                    Reason.CORRUPT,
                    what + ": the blob ended after " + received + " of the manifest's " + file.size() + " bytes");
        }
        String digest = Sha256.format(sha256.digest());
        if (!digest.equals(file.digest())) {
            throw new SourceException(
                    Reason.CORRUPT,
                    what + ": the bytes received have digest " + digest + ", expected " + file.digest());
        }
    }

    /** Reads the next bytes; a transport failure is the registry's, not the target's. */
    private static int readFromRegistry(RegistryResponse response, byte[] buffer, String what, long received) {
        try {
            return response.body().read(buffer);
        } catch (IOException e) {
            SourceException failure = Failures.of(e, what);
            throw new SourceException(failure.reason(), failure.getMessage() + " after " + received + " bytes", e);
        }
    }
}
