package dev.onnxserving.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** docs/deployment.md names files, kustomizations and namespaces of this repository: they must all exist. */
class DeploymentDocsTests {

    private static final Path DOCS = Path.of("docs/deployment.md");

    private final String docs = read(DOCS);

    @Test
    void everyRepositoryPathTheDocsNameExists() {
        Set<String> paths = matches("(?<![\\w/.])((?:k8s|\\.ci|\\.github/workflows)/[\\w./-]*[\\w/]|Dockerfile)");

        assertThat(paths).contains("k8s/overlays/dev", "Dockerfile", ".ci/container-setup.sh");
        assertThat(paths).allSatisfy(path -> assertThat(Path.of(path)).exists());
    }

    @Test
    void everyKustomizationTheDocsApplyIsOneTheTestsRender() {
        Set<String> applied = matches("kubectl apply -k (\\S+)");
        List<String> deployables = Kustomize.deployables().map(Path::toString).toList();

        assertThat(applied).isNotEmpty();
        assertThat(deployables).containsAll(applied);
    }

    @Test
    void namespacesTheDocsUseAreTheOverlaysNamespaces() throws IOException {
        Set<String> namespaces = new LinkedHashSet<>();
        try (Stream<Path> overlays = Files.list(Path.of("k8s/overlays"))) {
            overlays.map(overlay -> read(overlay.resolve("kustomization.yaml"))).forEach(kustomization -> {
                Matcher namespace = Pattern.compile("(?m)^namespace: (\\S+)").matcher(kustomization);
                if (namespace.find()) {
                    namespaces.add(namespace.group(1));
                }
            });
        }

        Set<String> used = matches("kubectl -n (\\S+)");
        used.remove("kube-system"); // metrics-server's, not ours

        assertThat(used).isNotEmpty().isSubsetOf(namespaces);
        assertThat(matches("/namespaces/([\\w-]+)/pods")).isSubsetOf(namespaces);
    }

    private Set<String> matches(String regex) {
        Set<String> found = new LinkedHashSet<>();
        Matcher matcher = Pattern.compile(regex).matcher(docs);
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        return found;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }
}
