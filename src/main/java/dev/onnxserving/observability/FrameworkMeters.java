package dev.onnxserving.observability;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Tidies the meters Spring Boot and Tomcat register: the HTTP server meters get the help text they lack, and the
 * Tomcat session meters, meaningless for a service that keeps no HTTP sessions, are left out of the scrape.
 */
@Configuration(proxyBeanMethods = false)
class FrameworkMeters {

    private static final Map<String, String> DESCRIPTIONS = Map.of(
            "http.server.requests",
            "HTTP requests the server answered, by uri template (never the path a client sent), method and status",
            "http.server.requests.active",
            "HTTP requests the server is answering now, by uri template and method");

    @Bean
    MeterFilter frameworkMeterFilter() {
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                String description = DESCRIPTIONS.get(id.getName());
                if (description == null || id.getDescription() != null) {
                    return id;
                }
                return new Meter.Id(id.getName(), Tags.of(id.getTags()), id.getBaseUnit(), description, id.getType());
            }

            @Override
            public MeterFilterReply accept(Meter.Id id) {
                return id.getName().startsWith("tomcat.sessions.") ? MeterFilterReply.DENY : MeterFilterReply.NEUTRAL;
            }
        };
    }
}
