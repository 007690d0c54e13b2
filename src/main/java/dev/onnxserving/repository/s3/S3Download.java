package dev.onnxserving.repository.s3;

import dev.onnxserving.repository.source.SourceException;
import dev.onnxserving.repository.source.SourceException.Reason;
import dev.onnxserving.repository.source.SourceFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * Streams one object to a file and checks what arrived: the object is still the one listed (same checksum or ETag),
 * the byte count matches, the SDK validates the S3 checksum while reading (when the listing said the object has one:
 * S3-compatible servers without checksums refuse to be asked for them), and a
 * single-part MD5 ETag is compared with the MD5 of the bytes as they are written.
 */
final class S3Download {

    private static final int BUFFER = 64 * 1024;

    private final S3Client client;
    private final String bucket;
    private final SourceFile file;
    private final String what;

    S3Download(S3Client client, String bucket, SourceFile file) {
        this.client = client;
        this.bucket = bucket;
        this.file = file;
        this.what = "downloading s3://" + bucket + "/" + file.locator();
    }

    void to(Path target) {
        ResponseInputStream<GetObjectResponse> body;
        try {
            // only a server that reported a checksum in its listing is asked for it: others refuse the header
            boolean checksummed = !file.digest().startsWith(FileDigests.ETAG);
            body = client.getObject(request ->
                    request.bucket(bucket).key(file.locator()).checksumMode(checksummed ? ChecksumMode.ENABLED : null));
        } catch (SdkException failure) {
            throw S3Failures.of(what, failure);
        }
        boolean complete = false;
        try {
            GetObjectResponse answer = body.response();
            String now = file.digest().startsWith(FileDigests.ETAG)
                    ? FileDigests.ETAG + FileDigests.unquoted(answer.eTag())
                    : FileDigests.checksum(answer, file.digest());
            if (!now.equals(file.digest())) {
                throw corrupt(
                        "the object changed since it was listed: it is now " + now + ", listed as " + file.digest());
            }
            MessageDigest md5 = verifiesMd5(answer) ? md5() : null;
            long written = copy(body, target, md5);
            long expected = file.size() >= 0 ? file.size() : orMinusOne(answer.contentLength());
            if (expected >= 0 && written != expected) {
                throw corrupt(written + " bytes arrived, " + expected + " were expected");
            }
            if (md5 != null) {
                String actual = HexFormat.of().formatHex(md5.digest());
                if (!(FileDigests.ETAG + actual).equalsIgnoreCase(file.digest())) {
                    throw corrupt("the bytes' MD5 is " + actual + ", the ETag says " + file.digest());
                }
            }
            complete = true;
        } catch (IOException failure) {
            throw S3Failures.of(what, failure);
        } finally {
            if (!complete) {
                // drop the connection: reading the rest of an unwanted body could take another read-timeout
                body.abort();
            }
            closeQuietly(body);
        }
    }

    /** Closing after the last byte or an abort has nothing left to report. */
    private static void closeQuietly(InputStream body) {
        try {
            body.close();
        } catch (IOException | SdkException ignored) {
            // the outcome was decided above
        }
    }

    /** The ETag is the MD5 of the bytes only for a single-part upload that is not encrypted with KMS or a customer key. */
    private boolean verifiesMd5(GetObjectResponse answer) {
        return FileDigests.isMd5Etag(file.digest())
                && answer.sseCustomerAlgorithm() == null
                && answer.serverSideEncryption() != ServerSideEncryption.AWS_KMS
                && answer.serverSideEncryption() != ServerSideEncryption.AWS_KMS_DSSE;
    }

    private long copy(InputStream body, Path target, MessageDigest md5) throws IOException {
        long written = 0;
        byte[] buffer = new byte[BUFFER];
        try (OutputStream out = Files.newOutputStream(target)) {
            int read;
            while ((read = read(body, buffer)) >= 0) {
                out.write(buffer, 0, read);
                if (md5 != null) {
                    md5.update(buffer, 0, read);
                }
                written += read;
            }
        }
        return written;
    }

    /** The SDK reports a checksum that does not match the bytes as an SdkException from read. */
    private int read(InputStream body, byte[] buffer) throws IOException {
        try {
            return body.read(buffer);
        } catch (SdkException failure) {
            if (failure.getCause() instanceof IOException network) {
                throw network;
            }
            throw corrupt("the bytes do not match the object's checksum (" + failure.getMessage() + ")");
        }
    }

    private SourceException corrupt(String why) {
        return new SourceException(Reason.CORRUPT, what + ": " + why);
    }

    private static long orMinusOne(Long length) {
        return length == null ? -1 : length;
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException absent) {
            throw new IllegalStateException("every Java runtime has MD5", absent);
        }
    }
}
