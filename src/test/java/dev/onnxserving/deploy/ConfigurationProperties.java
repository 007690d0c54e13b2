package dev.onnxserving.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.BoundPropertiesTrackingBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What counts as a real configuration property of this application: a property Spring Boot documents in its
 * configuration metadata (or a key below one of its map properties, such as {@code logging.level.<logger>}), or one
 * that binds to one of this application's own {@code @ConfigurationProperties} types. Also composes the
 * configuration a pod would see: the packaged application.yaml below the ConfigMap's keys and the container's
 * environment variables, highest precedence last.
 */
final class ConfigurationProperties {

    private static final String APPLICATION_PACKAGE = "dev.onnxserving";
    /** Spring maps variable names (SERVER_PORT to server.port) only for a source of this name. */
    private static final String ENVIRONMENT = StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME;

    private static final ConfigurationProperties INSTANCE = load();

    private final Set<ConfigurationPropertyName> documented;
    private final Set<ConfigurationPropertyName> documentedMaps;
    private final Map<Class<?>, String> applicationTypes;

    private ConfigurationProperties(
            Set<ConfigurationPropertyName> documented,
            Set<ConfigurationPropertyName> documentedMaps,
            Map<Class<?>, String> applicationTypes) {
        this.documented = documented;
        this.documentedMaps = documentedMaps;
        this.applicationTypes = applicationTypes;
    }

    static ConfigurationProperties instance() {
        return INSTANCE;
    }

    Map<Class<?>, String> applicationTypes() {
        return applicationTypes;
    }

    /** Whether a property named like a ConfigMap key (or a YAML path) configures anything, given a sample value. */
    boolean isReal(String propertyName, String value) {
        if (!ConfigurationPropertyName.isValid(propertyName)) {
            return false;
        }
        return isDocumented(ConfigurationPropertyName.of(propertyName))
                || binds(new MapPropertySource("candidate", Map.of(propertyName, value)));
    }

    /** Whether an environment variable configures anything, given a sample value. */
    boolean isRealEnvironmentVariable(String variable, String value) {
        return isDocumented(environmentName(variable))
                || binds(new SystemEnvironmentPropertySource(ENVIRONMENT, Map.of(variable, value)));
    }

    private boolean isDocumented(ConfigurationPropertyName name) {
        if (documented.contains(name)) {
            return true;
        }
        return documentedMaps.stream().anyMatch(map -> map.isAncestorOf(name));
    }

    /** Spring's rule for environment variables: lower case, underscores separate elements, no dashes. */
    private ConfigurationPropertyName environmentName(String variable) {
        String lower = variable.toLowerCase(Locale.ROOT).replace('_', '.');
        for (ConfigurationPropertyName name : documented) {
            if (name.toString().replace("-", "").equals(lower)) {
                return name;
            }
        }
        return ConfigurationPropertyName.adapt(lower, '.');
    }

    private boolean binds(PropertySource<?> source) {
        Binder binder = new Binder(ConfigurationPropertySources.from(source));
        AtomicBoolean bound = new AtomicBoolean();
        var tracking = new BoundPropertiesTrackingBindHandler(property -> bound.set(true));
        applicationTypes.forEach((type, prefix) -> binder.bind(prefix, Bindable.of(type), tracking));
        return bound.get();
    }

    /**
     * The configuration a container sees: application.yaml from the classpath, then the config tree (ConfigMap
     * keys), then environment variables.
     */
    static Binder podConfiguration(Map<String, String> configTree, Map<String, String> environment) {
        MutablePropertySources sources = new MutablePropertySources();
        sources.addFirst(applicationYaml());
        sources.addFirst(new MapPropertySource("configtree", new LinkedHashMap<>(configTree)));
        sources.addFirst(new SystemEnvironmentPropertySource(ENVIRONMENT, new LinkedHashMap<>(environment)));
        return new Binder(ConfigurationPropertySources.from(sources));
    }

    private static PropertySource<?> applicationYaml() {
        try {
            List<PropertySource<?>> loaded =
                    new YamlPropertySourceLoader().load("application.yaml", new ClassPathResource("application.yaml"));
            return loaded.get(0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read application.yaml", e);
        }
    }

    private static ConfigurationProperties load() {
        Set<ConfigurationPropertyName> names = new HashSet<>();
        Set<ConfigurationPropertyName> maps = new HashSet<>();
        JsonMapper json = JsonMapper.builder().build();
        try {
            Enumeration<URL> files = ConfigurationProperties.class
                    .getClassLoader()
                    .getResources("META-INF/spring-configuration-metadata.json");
            while (files.hasMoreElements()) {
                try (InputStream in = files.nextElement().openStream()) {
                    for (JsonNode property : json.readTree(in).path("properties")) {
                        ConfigurationPropertyName name = ConfigurationPropertyName.of(
                                property.path("name").asString());
                        names.add(name);
                        if (property.path("type").asString("").startsWith("java.util.Map")) {
                            maps.add(name);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read Spring Boot's configuration metadata", e);
        }
        if (names.isEmpty()) {
            throw new IllegalStateException("no configuration metadata on the classpath");
        }
        return new ConfigurationProperties(names, maps, applicationTypes(APPLICATION_PACKAGE));
    }

    private static Map<Class<?>, String> applicationTypes(String basePackage) {
        var scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(
                new AnnotationTypeFilter(org.springframework.boot.context.properties.ConfigurationProperties.class));
        Map<Class<?>, String> types = new LinkedHashMap<>();
        List<BeanDefinition> candidates = new ArrayList<>(scanner.findCandidateComponents(basePackage));
        for (BeanDefinition candidate : candidates) {
            Class<?> type = ClassUtils.resolveClassName(
                    candidate.getBeanClassName(), ConfigurationProperties.class.getClassLoader());
            var annotation = AnnotatedElementUtils.findMergedAnnotation(
                    type, org.springframework.boot.context.properties.ConfigurationProperties.class);
            types.put(type, annotation.prefix());
        }
        if (types.isEmpty()) {
            throw new IllegalStateException("no @ConfigurationProperties types under " + basePackage);
        }
        return types;
    }
}
