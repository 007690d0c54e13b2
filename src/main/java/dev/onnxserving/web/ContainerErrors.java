package dev.onnxserving.web;

import dev.onnxserving.pipeline.ErrorKind;
import dev.onnxserving.pipeline.ShuttingDownException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;
import org.apache.catalina.Host;
import org.apache.catalina.Lifecycle;
import org.apache.catalina.Pipeline;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.json.JsonMapper;

/**
 * The errors the servlet container answers itself, before or after the application (a malformed request, an
 * {@code Expect} it cannot meet, a request while the application is stopping): Tomcat's HTML error report is
 * replaced by the application's shapes, and while draining every such answer is a 503 with Retry-After.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class ContainerErrors {

    /** The client message for an error the container found; {@code path} is the request's, or null if unknown. */
    static String detail(int status, String path) {
        return switch (status) {
            case 400 -> "the request is malformed (request line, headers or URI); it was not processed";
            case 404 -> "no resource at '" + path + "'";
            case 417 -> "the Expect header is not supported; the only expectation this server meets is 100-continue";
            case 503 -> ShuttingDownException.MESSAGE;
            default -> {
                HttpStatus known = HttpStatus.resolve(status);
                yield known == null ? "error " + status : known.getReasonPhrase();
            }
        };
    }

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> containerErrorReports(ObjectProvider<DrainMode> drain) {
        return factory -> factory.addContextCustomizers(context -> context.addLifecycleListener(event -> {
            if (Lifecycle.BEFORE_START_EVENT.equals(event.getType()) && context.getParent() instanceof Host host) {
                Pipeline pipeline = host.getPipeline();
                for (Valve valve : pipeline.getValves()) {
                    if (valve instanceof ErrorReportValve && !(valve instanceof ReportValve)) {
                        pipeline.removeValve(valve);
                    }
                }
                pipeline.addValve(new ReportValve(drain));
            }
        }));
    }

    /** Writes the container's error answers in the application's shapes. */
    static final class ReportValve extends ErrorReportValve {
        private static final JsonMapper JSON = JsonMapper.builder().build();
        /** Looked up when an error comes: the drain's filter is made after the web server. */
        private final ObjectProvider<DrainMode> drain;

        ReportValve(ObjectProvider<DrainMode> drain) {
            this.drain = drain;
        }

        @Override
        protected void report(Request request, Response response, Throwable throwable) {
            int status = response.getStatus();
            if (status < 400 || response.getContentWritten() > 0) {
                return;
            }
            DrainMode mode = drain.getIfAvailable();
            ErrorKind kind = mode != null && mode.refusing() ? ErrorKind.SHUTTING_DOWN : ErrorAnswers.kindOf(status);
            String path = request.getRequestURI();
            int answered = ErrorAnswers.status(kind).value();
            response.setStatus(answered);
            ErrorAnswers.headers(kind)
                    .forEach((name, values) -> values.forEach(value -> response.addHeader(name, value)));
            response.setContentType(ErrorAnswers.contentType(path).toString());
            response.setCharacterEncoding("UTF-8");
            try {
                Writer writer = response.getReporter();
                if (writer != null) {
                    writer.write(
                            JSON.writeValueAsString(ErrorAnswers.body(path, kind, detail(answered, path), List.of())));
                    response.finishResponse();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
