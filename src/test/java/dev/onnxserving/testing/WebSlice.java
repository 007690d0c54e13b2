package dev.onnxserving.testing;

import dev.onnxserving.deployment.ServingProperties;
import dev.onnxserving.inference.RequestDeadlines;
import dev.onnxserving.web.ShutdownProperties;
import dev.onnxserving.web.WebLimitsProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Import;

/**
 * What a {@code @WebMvcTest} slice needs beside the controller under test: the settings the web layer reads (a slice
 * does not scan {@code @ConfigurationProperties}) and the request deadlines. The inference core stays out: a slice
 * test mocks it.
 */
@TestConfiguration(proxyBeanMethods = false)
@EnableConfigurationProperties({WebLimitsProperties.class, ServingProperties.class, ShutdownProperties.class})
@Import(RequestDeadlines.class)
public class WebSlice {}
