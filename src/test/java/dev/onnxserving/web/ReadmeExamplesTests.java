package dev.onnxserving.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.onnxserving.testing.Http;
import dev.onnxserving.testing.Markdown;
import dev.onnxserving.testing.ServingEndToEndTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Runs every {@code curl} example of the README (and the docs it links) with bash, as written, against the
 * bundled models, only with the port changed; where a JSON block follows, the answer must equal it. The "Add a model"
 * walkthrough is left to {@code AddModelWalkthroughTests}.
 */
@ServingEndToEndTest
class ReadmeExamplesTests {

    private static final List<Path> DOCUMENTS = List.of(Path.of("README.md"));
    /** Its steps change the repository: AddModelWalkthroughTests follows them on a repository of its own. */
    private static final String WALKTHROUGH = "Add a model";

    @LocalServerPort
    int port;

    /**
     * @param expectedKind {@code json} (compared as JSON) or {@code text} (compared exactly), from the block that
     *     follows the command; {@code null} when none does
     */
    record Example(Path document, String command, String expectedKind, String expected) {}

    @TestFactory
    Stream<DynamicTest> everyCurlExampleAnswersWhatTheDocumentShows() throws IOException {
        assumeTrue(new java.io.File("/usr/bin/curl").canExecute(), "curl is not installed; README examples not run");
        List<Example> examples = new ArrayList<>();
        for (Path document : DOCUMENTS) {
            examples.addAll(examples(document));
        }
        assertThat(examples).hasSizeGreaterThan(5);
        return examples.stream()
                .map(example -> DynamicTest.dynamicTest(
                        example.document() + ": "
                                + example.command().lines().findFirst().orElse(""),
                        () -> check(example)));
    }

    private void check(Example example) throws IOException, InterruptedException {
        String command = example.command().replace("localhost:8080", "127.0.0.1:" + port);
        Process process = new ProcessBuilder("bash", "-c", command)
                .directory(new java.io.File("."))
                .redirectErrorStream(true)
                .start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String text = new String(output, StandardCharsets.UTF_8);
        assertThat(process.exitValue())
                .as("exit code of %s, output %s", command, text)
                .isZero();
        assertThat(text).as("output of %s", command).isNotBlank();
        if ("json".equals(example.expectedKind())) {
            assertThat(Http.JSON.readTree(text)).isEqualTo(Http.JSON.readTree(example.expected()));
        } else if ("text".equals(example.expectedKind())) {
            assertThat(text.strip()).isEqualTo(example.expected().strip());
        }
    }

    static List<Example> examples(Path document) throws IOException {
        String markdown = Markdown.withoutSection(Files.readString(document), WALKTHROUGH);
        List<Markdown.Block> blocks = Markdown.blocks(markdown);
        List<Example> examples = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) {
            if (!blocks.get(i).language().equals("bash")) {
                continue;
            }
            List<String> commands = curlCommands(blocks.get(i).code());
            boolean answered = i + 1 < blocks.size()
                    && List.of("json", "text").contains(blocks.get(i + 1).language())
                    && commands.size() == 1;
            String kind = answered ? blocks.get(i + 1).language() : null;
            String expected = answered ? blocks.get(i + 1).code() : null;
            commands.forEach(command -> examples.add(new Example(document, command, kind, expected)));
        }
        return examples;
    }

    /** The curl commands to localhost:8080 of a shell block; other commands are skipped. */
    static List<String> curlCommands(String block) {
        return Markdown.commands(block).stream()
                .filter(command -> command.startsWith("curl ") && command.contains("localhost:8080"))
                .toList();
    }
}
