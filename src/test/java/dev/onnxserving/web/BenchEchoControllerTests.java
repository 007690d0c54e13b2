package dev.onnxserving.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import dev.onnxserving.testing.Http;
import dev.onnxserving.testing.WebSlice;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;

/** The benchmark echo endpoint: off unless asked for, and when on it writes back the JSON it read. */
@WebMvcTest(controllers = BenchEchoController.class, properties = "serving.bench.echo-enabled=true")
@Import(WebSlice.class)
class BenchEchoControllerTests {

    @Autowired
    MockMvc mvc;

    @Test
    void echoesTheBodyWhenEnabled() throws Exception {
        MockHttpServletResponse response = mvc.perform(post("/bench/echo")
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"instances\": [[1.5, 2]]}"))
                .andReturn()
                .getResponse();

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(Http.JSON.readTree(response.getContentAsString()))
                .isEqualTo(Http.JSON.readTree("{\"instances\":[[1.5,2]]}"));
    }

    @Test
    void existsOnlyWhenThePropertyAsksForIt() {
        ApplicationContextRunner context =
                new ApplicationContextRunner().withUserConfiguration(BenchEchoController.class);

        context.run(started -> assertThat(started).doesNotHaveBean(BenchEchoController.class));
        context.withPropertyValues("serving.bench.echo-enabled=false")
                .run(started -> assertThat(started).doesNotHaveBean(BenchEchoController.class));
        context.withPropertyValues("serving.bench.echo-enabled=true")
                .run(started -> assertThat(started).hasSingleBean(BenchEchoController.class));
    }
}
