package dev.onnxserving.web;

import dev.onnxserving.pipeline.ServingException;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The container's error page ({@code /error}, where the servlet container forwards a {@code sendError} or a failure
 * outside Spring MVC): the same shapes as every other error, of the path that failed, instead of Spring Boot's
 * whitelabel answer.
 */
@RestController
class ContainerErrorController implements ErrorController {

    @RequestMapping("${server.error.path:/error}")
    ResponseEntity<Object> error(HttpServletRequest request) {
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String path = uri == null ? ApiExceptionHandler.path(request) : uri.toString();
        if (request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof ServingException e) {
            return ErrorAnswers.answer(path, e.kind(), e.getMessage(), List.of(), new HttpHeaders());
        }
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer value ? value : 500;
        return ErrorAnswers.answer(
                path, ErrorAnswers.kindOf(status), ContainerErrors.detail(status, path), List.of(), new HttpHeaders());
    }
}
