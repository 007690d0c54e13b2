package dev.onnxserving.walkthrough;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.onnxserving.testing.Http;
import dev.onnxserving.testing.Markdown;
import dev.onnxserving.testing.TestRepository;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Follows the README's "Add a model" section to the letter, against the service as {@code ./mvnw spring-boot:run}
 * runs it (repository watched, default settings), in a folder standing in for a fresh clone: its {@code models/}
 * holds the bundled iris model, whose file the steps copy. Every shell block runs with bash as written; every YAML
 * block is written to the file its sentence names; every request runs with curl (only the port changed) and its
 * answer must have every field the JSON block after it shows, with the values shown (the section says where it
 * leaves fields out). The service changes state on its own time, as the section says ("within seconds"), so a
 * request whose answer does not match yet is asked again, for up to a minute.
 *
 * <p>Also checks what the section promises without a request: every file the model's options name is made by a step,
 * and the failed version recovered without its {@code model.onnx} being touched.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AddModelWalkthroughTests {

    private static final String SECTION = "Add a model";
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    /** The file a YAML block goes to: the last backquoted {@code models/...yaml} path of the sentence before it. */
    private static final Pattern YAML_FILE = Pattern.compile("`(models/[\\w./-]+\\.ya?ml)`");

    private static final Path CLONE = TestRepository.create("onnx-serving-clone")
            .copy("iris", "models/iris", 1, 2)
            .root();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void repository(DynamicPropertyRegistry properties) {
        properties.add("serving.repository.path", () -> CLONE.resolve("models").toString());
    }

    @Test
    void everyStepWorksAsWrittenAndEveryRequestAnswersWhatTheSectionShows() throws Exception {
        assumeTrue(new File("/usr/bin/curl").canExecute(), "curl is not installed; the walkthrough was not run");
        List<Markdown.Block> blocks =
                Markdown.blocks(Markdown.section(Files.readString(Path.of("README.md")), SECTION));
        List<Path> modelYamls = new ArrayList<>();
        List<String> states = new ArrayList<>();
        Map<Path, String> modelFilesWhenFailed = null;

        for (int i = 0; i < blocks.size(); i++) {
            Markdown.Block block = blocks.get(i);
            switch (block.language()) {
                case "yaml" -> modelYamls.add(write(block));
                case "bash" -> {
                    List<String> commands = Markdown.commands(block.code());
                    if (commands.stream().noneMatch(command -> command.startsWith("curl "))) {
                        run(block.code());
                        continue;
                    }
                    assertThat(commands)
                            .as("a request is a block of its own: %s", block.code())
                            .hasSize(1);
                    assertThat(i + 1 < blocks.size()
                                    && blocks.get(i + 1).language().equals("json"))
                            .as("the answer follows the request %s", commands.get(0))
                            .isTrue();
                    JsonNode shown = Http.JSON.readTree(blocks.get(++i).code());
                    awaitAnswer(commands.get(0), shown);
                    shown.findValuesAsString("state").forEach(states::add);
                    if (shown.findValuesAsString("state").contains("FAILED")) {
                        modelFilesWhenFailed = modelFiles(modelYamls);
                    }
                }
                default -> fail("a %s block the walkthrough cannot follow: %s", block.language(), block.code());
            }
        }

        assertThat(modelYamls).as("the model.yaml the section writes").isNotEmpty();
        assertThat(states).as("the states the section shows, in order").containsSubsequence("FAILED", "READY");
        assertThat(modelFiles(modelYamls))
                .as("the failed version recovered without its model.onnx being touched")
                .isEqualTo(modelFilesWhenFailed);
        for (Path yaml : modelYamls) {
            assertThat(namedFiles(yaml))
                    .as("files the options of %s name, made by a step", yaml)
                    .allSatisfy(file -> assertThat(file).isRegularFile());
        }
    }

    /** Writes a YAML block to the file the sentence before it names, as a user does in an editor. */
    private static Path write(Markdown.Block block) throws IOException {
        Matcher matcher = YAML_FILE.matcher(block.textBefore());
        String name = null;
        while (matcher.find()) {
            name = matcher.group(1);
        }
        assertThat(name)
                .as("the file the YAML block goes to, named before it: %s", block.textBefore())
                .isNotNull();
        Path file = CLONE.resolve(name);
        assertThat(file.getParent())
                .as("the folder of %s, made by an earlier step", name)
                .isDirectory();
        Files.writeString(file, block.code());
        return file;
    }

    /** Runs a shell block as a script in the clone's folder; it must succeed. */
    private static void run(String script) throws IOException, InterruptedException {
        Outcome outcome = bash(script);
        assertThat(outcome.exitCode())
                .as("exit code of the step%n%s%noutput: %s", script, outcome.output())
                .isZero();
    }

    /** Sends the request until its answer shows what the section shows, or fails with the last answer. */
    private void awaitAnswer(String command, JsonNode shown) throws IOException, InterruptedException {
        String request = command.replace("localhost:8080", "127.0.0.1:" + port);
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        Outcome answer;
        do {
            answer = bash(request);
            if (answer.exitCode() == 0 && shows(parse(answer.output()), shown)) {
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500));
        } while (System.nanoTime() < deadline);
        fail(
                "within %s, %s did not answer what the README shows%nshown: %s%nlast answer (exit code %d): %s",
                PATIENCE, command, shown, answer.exitCode(), answer.output());
    }

    /**
     * Whether the answer has every field shown, with the value shown: objects may have more fields, arrays must have
     * as many elements, each showing the shown one.
     */
    static boolean shows(JsonNode answer, JsonNode shown) {
        if (answer == null) {
            return false;
        }
        if (shown.isObject()) {
            return answer.isObject()
                    && shown.properties().stream()
                            .allMatch(field -> shows(answer.get(field.getKey()), field.getValue()));
        }
        if (shown.isArray()) {
            if (!answer.isArray() || answer.size() != shown.size()) {
                return false;
            }
            for (int i = 0; i < shown.size(); i++) {
                if (!shows(answer.get(i), shown.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return shown.equals(answer);
    }

    private static JsonNode parse(String answer) {
        try {
            return Http.JSON.readTree(answer);
        } catch (JacksonException notJson) {
            return null;
        }
    }

    /** @param exitCode -1 when the script did not end within a minute */
    private record Outcome(int exitCode, String output) {}

    private static Outcome bash(String script) throws IOException, InterruptedException {
        Path output = Files.createTempFile("walkthrough-step", ".out");
        try {
            Process process = new ProcessBuilder("bash", "-euo", "pipefail", "-c", script)
                    .directory(CLONE.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            boolean ended = process.waitFor(60, TimeUnit.SECONDS);
            if (!ended) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            return new Outcome(ended ? process.exitValue() : -1, Files.readString(output));
        } finally {
            Files.delete(output);
        }
    }

    /** Each model.onnx under the models the section adds, with its size and modification time. */
    private static Map<Path, String> modelFiles(List<Path> modelYamls) throws IOException {
        Map<Path, String> files = new TreeMap<>();
        for (Path yaml : modelYamls) {
            try (Stream<Path> walk = Files.walk(yaml.getParent())) {
                for (Path file :
                        walk.filter(path -> path.endsWith("model.onnx")).toList()) {
                    files.put(file, Files.size(file) + " bytes, modified " + Files.getLastModifiedTime(file));
                }
            }
        }
        return files;
    }

    /** The files a model.yaml's options name ({@code labels-file}, {@code tokenizer-file}, ...), in its folder. */
    private static List<Path> namedFiles(Path yaml) throws IOException {
        Map<String, Object> settings = new Yaml().load(Files.readString(yaml));
        if (!(settings.get("options") instanceof Map<?, ?> options)) {
            return List.of();
        }
        return options.entrySet().stream()
                .filter(option -> option.getKey().toString().endsWith("-file"))
                .map(option -> yaml.resolveSibling(option.getValue().toString()))
                .toList();
    }
}
