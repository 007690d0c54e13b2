package dev.onnxserving.web;

import dev.onnxserving.pipeline.ServingException;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AssignableTypeFilter;
import org.springframework.http.HttpStatus;
import org.springframework.util.ClassUtils;

/** The error statuses the application's error mapping can answer with, for tests of the API documentation. */
public final class ErrorMapping {

    private ErrorMapping() {}

    /**
     * The status of every kind of {@link ServingException} in the application, and those Spring MVC's own failures
     * of a request body reach the handler with (unreadable, unsupported content type).
     */
    public static Set<Integer> statuses() {
        var scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AssignableTypeFilter(ServingException.class));
        Set<Integer> statuses =
                new TreeSet<>(Set.of(HttpStatus.BAD_REQUEST.value(), HttpStatus.UNSUPPORTED_MEDIA_TYPE.value()));
        for (var candidate : scanner.findCandidateComponents("dev.onnxserving")) {
            Class<?> kind =
                    ClassUtils.resolveClassName(candidate.getBeanClassName(), ErrorMapping.class.getClassLoader());
            statuses.add(ApiExceptionHandler.statusOf(kind.asSubclass(ServingException.class))
                    .value());
        }
        return statuses;
    }
}
