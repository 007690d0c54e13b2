package dev.onnxserving.management;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onnxserving.testing.Http;
import dev.onnxserving.testing.ServingEndToEndTest;
import dev.onnxserving.testing.TestRepository;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Without {@code serving.management.api-key} the management API does not exist, key or no key. */
@ServingEndToEndTest
class ManagementDisabledTests {

    private static final TestRepository REPOSITORY =
            TestRepository.create("management-off").copy("iris", "iris", 1);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("serving.repository.path", () -> REPOSITORY.root().toString());
        registry.add("serving.models.iris.versions", () -> "latest");
        registry.add("serving.models.iris.default-version", () -> "");
    }

    @LocalServerPort
    int port;

    @Test
    void answersNotFoundOnEveryManagementPath() {
        Http http = new Http(port);
        String[] auth = {"Authorization", "Bearer " + ManagementApiTests.KEY};

        Http.Response admin = http.get("/admin/models", auth);
        assertThat(admin.status()).isEqualTo(404);
        assertThat(admin.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(http.post("/admin/models/iris/versions/1/unload", null, auth).status())
                .isEqualTo(404);
        Http.Response repository = http.post("/v2/repository/index", "{}", auth);
        assertThat(repository.status()).isEqualTo(404);
        assertThat(repository.text()).startsWith("{\"error\":");
        assertThat(http.post("/v2/repository/models/iris/unload", "{}").status())
                .isEqualTo(404);
        assertThat(http.post("/models/iris/predict", Http.IRIS_BODY).status()).isEqualTo(200);
    }
}
