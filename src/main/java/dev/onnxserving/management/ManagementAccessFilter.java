package dev.onnxserving.management;

import dev.onnxserving.pipeline.ForbiddenException;
import dev.onnxserving.pipeline.UnauthorizedException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Guards the management paths: every call needs {@code Authorization: Bearer <serving.management.api-key>} (401
 * without it, 403 with another key; compared in constant time). With a management port, the management paths answer
 * only on that port and that port answers nothing else (404 either way, as for a path that does not exist). Refusals
 * go through the application's one error handler, so they have the same shapes as every other error.
 */
@Component
@Conditional(ManagementEnabledCondition.class)
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class ManagementAccessFilter extends OncePerRequestFilter {

    private static final String BEARER = "Bearer ";

    private final byte[] keyDigest;
    private final ManagementPort port;
    private final HandlerExceptionResolver errors;

    ManagementAccessFilter(
            ManagementProperties properties,
            ManagementPort port,
            @Qualifier("handlerExceptionResolver") HandlerExceptionResolver errors) {
        this.keyDigest = digest(properties.apiKey());
        this.port = port;
        this.errors = errors;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        boolean management = ManagementPaths.isManagement(request);
        boolean onManagementPort = port.isManagementPort(request.getLocalPort());
        try {
            if (port.isSeparate() && management != onManagementPort) {
                throw new NoResourceFoundException(
                        HttpMethod.valueOf(request.getMethod()), request.getRequestURI(), request.getRequestURI());
            }
            if (management) {
                authenticate(request.getHeader(HttpHeaders.AUTHORIZATION));
            }
        } catch (NoResourceFoundException | UnauthorizedException | ForbiddenException e) {
            errors.resolveException(request, response, null, e);
            return;
        }
        chain.doFilter(request, response);
    }

    private void authenticate(String authorization) {
        if (authorization == null
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
                || authorization.length() == BEARER.length()) {
            throw new UnauthorizedException(
                    "the management API needs the header 'Authorization: Bearer <serving.management.api-key>'");
        }
        byte[] given = digest(authorization.substring(BEARER.length()).strip());
        if (!MessageDigest.isEqual(given, keyDigest)) {
            throw new ForbiddenException("the bearer key is not the management API key");
        }
    }

    private static byte[] digest(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
