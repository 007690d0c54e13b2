package dev.onnxserving.watching;

import dev.onnxserving.repository.source.ModelSource;
import dev.onnxserving.repository.source.ModelSourceFactory;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Opens source locations with the {@link ModelSourceFactory} beans, by URI scheme. A location whose scheme no factory
 * serves is refused with the schemes that are served: never dropped silently. Each location is opened once and its
 * {@link ModelSource} reused.
 */
final class SourceLocations {

    private final Map<String, ModelSourceFactory> factories = new TreeMap<>();
    private final Map<String, ModelSource> opened = new ConcurrentHashMap<>();

    SourceLocations(List<ModelSourceFactory> factories) {
        for (ModelSourceFactory factory : factories) {
            String scheme = factory.scheme().toLowerCase(Locale.ROOT);
            ModelSourceFactory before = this.factories.putIfAbsent(scheme, factory);
            if (before != null) {
                throw new IllegalStateException("two model sources serve the scheme '" + scheme + "': "
                        + before.getClass().getName() + " and "
                        + factory.getClass().getName());
            }
        }
    }

    /**
     * Checks that {@code location} is a URI some factory serves.
     *
     * @param setting where it was configured, for the message
     * @throws IllegalArgumentException naming the setting, the location and the schemes served
     */
    void check(String setting, String location) {
        factory(setting, location);
    }

    /** The model at {@code location}. */
    ModelSource model(String location) {
        return opened.computeIfAbsent(location, key -> factory("source", key).model(URI.create(key)));
    }

    /** The names of the models directly below a repository location. */
    List<String> models(String location) {
        return factory("serving.repository.source", location).models(URI.create(location));
    }

    private ModelSourceFactory factory(String setting, String location) {
        URI uri;
        try {
            uri = new URI(location);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(setting + ": '" + location + "' is not a URI (" + e.getReason()
                    + "); expected e.g. s3://bucket/prefix");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        ModelSourceFactory factory = factories.get(scheme);
        if (factory == null) {
            throw new IllegalArgumentException(setting + ": no model source serves the scheme '" + scheme + "' of '"
                    + location + "'; " + served());
        }
        return factory;
    }

    private String served() {
        return factories.isEmpty()
                ? "this server has no model sources (no ModelSourceFactory bean)"
                : "the schemes served are " + factories.keySet();
    }
}
