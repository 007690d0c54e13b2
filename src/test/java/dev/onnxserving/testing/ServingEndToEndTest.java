package dev.onnxserving.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.annotation.AliasFor;
import org.springframework.core.env.Environment;

/**
 * An end-to-end test: the whole service with real ONNX Runtime on a random port, and an {@link Http} client for it
 * to {@code @Autowired}. Without other settings it serves the repository's {@code models/} folder; a class that
 * needs its own repository adds a {@code @DynamicPropertySource} for {@code serving.repository.path}. Classes with
 * the same properties share one application context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(ServingEndToEndTest.Client.class)
public @interface ServingEndToEndTest {

    /** Properties of this test's application context, {@code key=value}. */
    @AliasFor(annotation = SpringBootTest.class, attribute = "properties")
    String[] properties() default {};

    /** The client bean, made when a test first asks for it: once the server listens. */
    @TestConfiguration(proxyBeanMethods = false)
    class Client {
        @Bean
        @Lazy
        Http http(Environment environment) {
            return new Http(environment.getRequiredProperty("local.server.port", Integer.class));
        }
    }
}
