package dev.onnxserving.management;

import org.apache.catalina.connector.Connector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;

/**
 * The optional separate port of the management API: one more Tomcat connector on the application's own server (the
 * management API is ordinary application code, so Spring Boot's {@code management.server.port}, which moves only
 * actuator endpoints, cannot carry it). Which port a request came in on is all the access filter needs.
 */
final class ManagementPort implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    private static final Logger log = LoggerFactory.getLogger(ManagementPort.class);

    private final Connector connector;

    ManagementPort(ManagementProperties properties) {
        if (properties.port() == null) {
            this.connector = null;
            return;
        }
        this.connector = new Connector(TomcatServletWebServerFactory.DEFAULT_PROTOCOL);
        connector.setPort(properties.port());
        if (properties.address() != null) {
            connector.setProperty("address", properties.address());
        }
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        if (connector != null) {
            factory.addAdditionalConnectors(connector);
            log.info("The management API answers on its own port {} only", connector.getPort());
        }
    }

    boolean isSeparate() {
        return connector != null;
    }

    /** Whether a request that arrived on local port {@code localPort} came through the management connector. */
    boolean isManagementPort(int localPort) {
        return connector != null && localPort == connector.getLocalPort();
    }

    /** The port the management connector listens on once started (the real one when configured as 0), or -1. */
    int localPort() {
        return connector == null ? -1 : connector.getLocalPort();
    }
}
