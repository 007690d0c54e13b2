package dev.onnxserving.web.openinference;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.stereotype.Component;

/** The version this server reports: the build's, else the jar manifest's, else {@value #UNKNOWN}. */
@Component
public class ServerVersion {

    static final String UNKNOWN = "development";

    private final String version;

    ServerVersion(ObjectProvider<BuildProperties> build) {
        BuildProperties properties = build.getIfAvailable();
        String manifest = ServerVersion.class.getPackage().getImplementationVersion();
        if (properties != null && properties.getVersion() != null) {
            version = properties.getVersion();
        } else {
            version = manifest != null ? manifest : UNKNOWN;
        }
    }

    public String version() {
        return version;
    }
}
