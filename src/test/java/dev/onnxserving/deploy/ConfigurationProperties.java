package dev.onnxserving.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ClassPathResource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The configuration properties the configuration metadata on the class path documents: Spring Boot's and, generated
 * by {@code spring-boot-configuration-processor}, this application's {@code serving.*}. A property is real when the
 * metadata names it or names a map property above it (such as {@code logging.level} above
 * {@code logging.level.<logger>}, or {@code serving.models} above {@code serving.models.<name>.versions}). Also
 * composes the configuration a pod would see: the packaged application.yaml below the ConfigMap's keys and the
 * container's environment variables, highest precedence last.
 */
final class ConfigurationProperties {

    /** Spring maps variable names (SERVER_PORT to server.port) only for a source of this name. */
    private static final String ENVIRONMENT = StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME;

    private static final ConfigurationProperties INSTANCE = load();

    /** Each documented property with its description ("" when it has none). */
    private final Map<ConfigurationPropertyName, String> documented;
    /** The documented properties of a map type, whose keys are below them. */
    private final List<ConfigurationPropertyName> maps;

    private ConfigurationProperties(
            Map<ConfigurationPropertyName, String> documented, List<ConfigurationPropertyName> maps) {
        this.documented = documented;
        this.maps = maps;
    }

    static ConfigurationProperties instance() {
        return INSTANCE;
    }

    /** Whether a property named like a ConfigMap key (or a YAML path) configures anything. */
    boolean isReal(String propertyName) {
        return description(propertyName).isPresent();
    }

    /**
     * The metadata's description of a property: its own, or that of the map property it is a key below.
     *
     * @return empty when the metadata does not know the property
     */
    Optional<String> description(String propertyName) {
        return ConfigurationPropertyName.isValid(propertyName)
                ? description(ConfigurationPropertyName.of(propertyName))
                : Optional.empty();
    }

    /** Whether an environment variable configures anything. */
    boolean isRealEnvironmentVariable(String variable) {
        return description(environmentName(variable)).isPresent();
    }

    private Optional<String> description(ConfigurationPropertyName name) {
        if (documented.containsKey(name)) {
            return Optional.of(documented.get(name));
        }
        return maps.stream().filter(map -> map.isAncestorOf(name)).findFirst().map(documented::get);
    }

    /** Spring's rule for environment variables: lower case, underscores separate elements, no dashes. */
    private ConfigurationPropertyName environmentName(String variable) {
        String lower = variable.toLowerCase(Locale.ROOT).replace('_', '.');
        for (ConfigurationPropertyName name : documented.keySet()) {
            if (name.toString().replace("-", "").equals(lower)) {
                return name;
            }
        }
        return ConfigurationPropertyName.adapt(lower, '.');
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

    /** The packaged application.yaml as flat property names, e.g. {@code serving.limits.max-request-size}. */
    static PropertySource<?> applicationYaml() {
        try {
            return new YamlPropertySourceLoader()
                    .load("application.yaml", new ClassPathResource("application.yaml"))
                    .get(0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read application.yaml", e);
        }
    }

    private static ConfigurationProperties load() {
        Map<ConfigurationPropertyName, String> names = new LinkedHashMap<>();
        List<ConfigurationPropertyName> maps = new java.util.ArrayList<>();
        JsonMapper json = JsonMapper.builder().build();
        try {
            for (URL file : Collections.list(ConfigurationProperties.class
                    .getClassLoader()
                    .getResources("META-INF/spring-configuration-metadata.json"))) {
                try (InputStream in = file.openStream()) {
                    for (JsonNode property : json.readTree(in).path("properties")) {
                        ConfigurationPropertyName name = ConfigurationPropertyName.of(
                                property.path("name").asString());
                        names.merge(name, property.path("description").asString(""), (a, b) -> a.isEmpty() ? b : a);
                        if (property.path("type").asString("").startsWith("java.util.Map")) {
                            maps.add(name);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the configuration metadata", e);
        }
        if (names.isEmpty()) {
            throw new IllegalStateException("no configuration metadata on the classpath");
        }
        return new ConfigurationProperties(names, maps);
    }
}
