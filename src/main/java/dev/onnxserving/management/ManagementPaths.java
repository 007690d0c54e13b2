package dev.onnxserving.management;

import jakarta.servlet.http.HttpServletRequest;

/** The paths that belong to the management API. */
final class ManagementPaths {

    static final String ADMIN = "/admin";
    static final String REPOSITORY = "/v2/repository";

    private ManagementPaths() {}

    static boolean isManagement(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return startsWithSegment(path, ADMIN) || startsWithSegment(path, REPOSITORY);
    }

    private static boolean startsWithSegment(String path, String prefix) {
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }
}
