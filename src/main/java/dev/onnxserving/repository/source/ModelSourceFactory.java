package dev.onnxserving.repository.source;

import java.net.URI;
import java.util.List;

/**
 * Opens locations of one URI scheme ({@code s3}, {@code oci}). A Spring bean per scheme; it owns the clients it
 * creates (connection pools, credential providers) and closes them when the application stops. A location naming a
 * scheme no factory serves is refused at start with the schemes that are served.
 */
public interface ModelSourceFactory {

    /** The URI scheme served, lower case, without {@code ://}. */
    String scheme();

    /** One model's location: {@code s3://bucket/prefix/iris}, {@code oci://registry.example/team/iris}. */
    ModelSource model(URI location);

    /**
     * The names of the models directly below a repository location ({@code s3://bucket/prefix} holds {@code
     * prefix/<model>/...}; {@code oci://registry/team} holds repositories {@code team/<model>}); each name's location is
     * {@code location + "/" + name}.
     */
    List<String> models(URI location);
}
