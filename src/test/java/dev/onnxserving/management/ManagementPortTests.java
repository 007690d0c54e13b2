package dev.onnxserving.management;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onnxserving.testing.Http;
import dev.onnxserving.testing.ServingEndToEndTest;
import dev.onnxserving.testing.TestRepository;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** With {@code serving.management.port}, the management API answers there only, and that port answers nothing else. */
@ServingEndToEndTest
class ManagementPortTests {

    private static final String[] AUTH = {"Authorization", "Bearer " + ManagementApiTests.KEY};
    private static final TestRepository REPOSITORY =
            TestRepository.create("management-port").copy("iris", "iris", 1);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("serving.repository.path", () -> REPOSITORY.root().toString());
        registry.add("serving.models.iris.versions", () -> "latest");
        registry.add("serving.models.iris.default-version", () -> "");
        registry.add("serving.management.api-key", () -> ManagementApiTests.KEY);
        registry.add("serving.management.port", () -> "0");
        registry.add("serving.management.address", () -> "127.0.0.1");
    }

    @LocalServerPort
    int port;

    @Autowired
    ManagementPort managementPort;

    @Test
    void servesTheManagementApiOnItsOwnPortOnly() {
        Http application = new Http(port);
        Http management = new Http(managementPort.localPort());
        assertThat(managementPort.localPort()).isPositive().isNotEqualTo(port);

        assertThat(management.get("/admin/models", AUTH).status()).isEqualTo(200);
        assertThat(management.post("/v2/repository/index", "{}", AUTH).status()).isEqualTo(200);
        assertThat(management.get("/admin/models").status()).isEqualTo(401);

        assertThat(application.get("/admin/models", AUTH).status()).isEqualTo(404);
        assertThat(application.post("/v2/repository/index", "{}", AUTH).status())
                .isEqualTo(404);

        assertThat(management.post("/models/iris/predict", Http.IRIS_BODY).status())
                .isEqualTo(404);
        assertThat(application.post("/models/iris/predict", Http.IRIS_BODY).status())
                .isEqualTo(200);
    }
}
