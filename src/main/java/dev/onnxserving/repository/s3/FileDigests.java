package dev.onnxserving.repository.s3;

import dev.onnxserving.repository.source.SourceFile;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.S3Response;

/**
 * What a file's content is checked against: the object's full-object S3 checksum when it has one ({@code
 * sha256:<hex>}, {@code crc64nvme:<hex>}, ...; read with {@code HeadObject}, only for objects the listing says carry
 * one), else its ETag ({@code etag:<value>}). A composite checksum of a multipart upload ({@code <value>-<parts>})
 * cannot be checked on download and is not used.
 */
final class FileDigests {

    static final String ETAG = "etag:";
    /** An ETag that is the MD5 of the object's bytes: single-part uploads without SSE-KMS or SSE-C encryption. */
    private static final Pattern MD5 = Pattern.compile("[0-9a-fA-F]{32}");

    /** The checksum fields of S3's HEAD and GET answers, strongest first. */
    private static final List<String> CHECKSUMS = List.of(
            "SHA512", "SHA256", "SHA1", "CRC64NVME", "CRC32C", "CRC32", "XXHASH128", "XXHASH64", "XXHASH3", "MD5");

    private FileDigests() {}

    static SourceFile describe(S3Client client, String bucket, S3Object object, String path) {
        String digest = ETAG + unquoted(object.eTag());
        if (object.hasChecksumAlgorithm() && !object.checksumAlgorithm().isEmpty()) {
            HeadObjectResponse head = client.headObject(
                    request -> request.bucket(bucket).key(object.key()).checksumMode(ChecksumMode.ENABLED));
            digest = checksum(head, digest);
        }
        return new SourceFile(path, object.size() == null ? -1 : object.size(), digest, object.key());
    }

    /** The digest in an object's answer to HEAD or GET, or {@code otherwise} when it has no full-object checksum. */
    static String checksum(S3Response answer, String otherwise) {
        for (String algorithm : CHECKSUMS) {
            String value = answer.getValueForField("Checksum" + algorithm, String.class)
                    .orElse(null);
            if (value != null && !value.contains("-")) {
                return algorithm.toLowerCase(Locale.ROOT) + ":" + hex(value);
            }
        }
        return otherwise;
    }

    /** S3 sends checksums in base64; shown in hex, as {@code sha256sum} prints them. */
    private static String hex(String base64) {
        try {
            return HexFormat.of().formatHex(Base64.getDecoder().decode(base64));
        } catch (IllegalArgumentException notBase64) {
            return base64;
        }
    }

    static boolean isMd5Etag(String digest) {
        return digest.startsWith(ETAG)
                && MD5.matcher(digest.substring(ETAG.length())).matches();
    }

    static String unquoted(String etag) {
        return etag == null ? "" : etag.replace("\"", "");
    }
}
