package dev.onnxserving.repository.oci;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 digests in the distribution API's form, {@code sha256:<hex>}. */
final class Sha256 {

    private Sha256() {}

    static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    static String of(byte[] bytes) {
        return format(digest().digest(bytes));
    }

    static String format(byte[] hash) {
        return "sha256:" + HexFormat.of().formatHex(hash);
    }
}
