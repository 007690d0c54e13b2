package dev.onnxserving.kafka;

import java.util.Set;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.health.actuate.endpoint.AdditionalHealthEndpointPath;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroup;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroupsPostProcessor;
import org.springframework.boot.health.actuate.endpoint.HttpCodeStatusMapper;
import org.springframework.boot.health.actuate.endpoint.StatusAggregator;
import org.springframework.core.Ordered;

/**
 * Makes the health contributor {@code kafka} a member of the readiness group, besides the configured members. The
 * contributor exists only with bindings, so a readiness group naming it in configuration would stop a service without
 * bindings from starting (Boot validates group members); adding it here keeps that validation on for everything
 * else. Runs last, after Boot's probe groups exist.
 */
final class ReadinessWithBindings implements HealthEndpointGroupsPostProcessor, Ordered {

    private static final String READINESS = "readiness";
    private static final String CONTRIBUTOR = "kafka";

    @Override
    public HealthEndpointGroups postProcessHealthEndpointGroups(HealthEndpointGroups groups) {
        if (groups.get(READINESS) == null) {
            return groups;
        }
        return new HealthEndpointGroups() {
            @Override
            public HealthEndpointGroup getPrimary() {
                return groups.getPrimary();
            }

            @Override
            public Set<String> getNames() {
                return groups.getNames();
            }

            @Override
            public HealthEndpointGroup get(String name) {
                HealthEndpointGroup group = groups.get(name);
                return READINESS.equals(name) ? new WithKafka(group) : group;
            }
        };
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    /** A group that has the {@code kafka} contributor (and each binding's indicator in it) as members too. */
    private record WithKafka(HealthEndpointGroup group) implements HealthEndpointGroup {

        @Override
        public boolean isMember(String name) {
            return name.equals(CONTRIBUTOR) || name.startsWith(CONTRIBUTOR + "/") || group.isMember(name);
        }

        @Override
        public boolean showComponents(SecurityContext securityContext) {
            return group.showComponents(securityContext);
        }

        @Override
        public boolean showDetails(SecurityContext securityContext) {
            return group.showDetails(securityContext);
        }

        @Override
        public StatusAggregator getStatusAggregator() {
            return group.getStatusAggregator();
        }

        @Override
        public HttpCodeStatusMapper getHttpCodeStatusMapper() {
            return group.getHttpCodeStatusMapper();
        }

        @Override
        public AdditionalHealthEndpointPath getAdditionalPath() {
            return group.getAdditionalPath();
        }
    }
}
