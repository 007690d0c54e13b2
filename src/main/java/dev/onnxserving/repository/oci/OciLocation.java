package dev.onnxserving.repository.oci;

import dev.onnxserving.repository.source.SourceException;
import dev.onnxserving.repository.source.SourceException.Reason;
import java.net.URI;
import java.util.regex.Pattern;

/**
 * A repository (or a prefix of repositories) in a registry, from {@code oci://registry/repository}.
 *
 * @param registry the registry's {@code host[:port]}, as the location names it
 * @param repository the repository name ({@code team/iris}), or a prefix of names; empty for the registry's root
 */
record OciLocation(String registry, String repository) {

    /** The distribution spec's repository name: lower-case components separated by {@code /}. */
    private static final Pattern NAME =
            Pattern.compile("[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*)*");

    static OciLocation parse(URI location) {
        if (!"oci".equalsIgnoreCase(location.getScheme())
                || location.getRawAuthority() == null
                || location.getRawUserInfo() != null
                || location.getRawQuery() != null
                || location.getRawFragment() != null) {
            throw invalid(location, "expected oci://registry[:port]/repository, without credentials or a query");
        }
        String path = location.getPath() == null ? "" : location.getPath();
        String repository = path.replaceAll("^/+", "").replaceAll("/+$", "");
        if (!repository.isEmpty() && !NAME.matcher(repository).matches()) {
            throw invalid(
                    location,
                    "the repository '" + repository + "' is not a valid OCI name (lower-case letters, digits,"
                            + " '.', '_', '-', components separated by '/')");
        }
        return new OciLocation(location.getRawAuthority().toLowerCase(java.util.Locale.ROOT), repository);
    }

    private static SourceException invalid(URI location, String expected) {
        String shown = location.getRawUserInfo() == null
                ? location.toString()
                : location.toString().replace(location.getRawUserInfo() + "@", "");
        return new SourceException(Reason.INVALID, "invalid OCI location " + shown + ": " + expected);
    }

    /** The location as configured, for logs and {@code /models}. */
    String uri() {
        return "oci://" + registry + (repository.isEmpty() ? "" : "/" + repository);
    }

    /** The scope a token for pulling from this repository is asked for. */
    String pullScope() {
        return "repository:" + repository + ":pull";
    }

    @Override
    public String toString() {
        return uri();
    }
}
