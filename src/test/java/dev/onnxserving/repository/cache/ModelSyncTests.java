package dev.onnxserving.repository.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onnxserving.deployment.VersionPolicy;
import dev.onnxserving.repository.ModelRepository;
import dev.onnxserving.repository.SourcedModels;
import dev.onnxserving.repository.source.ModelSource;
import dev.onnxserving.repository.source.SourceException;
import dev.onnxserving.repository.source.SourceException.Reason;
import dev.onnxserving.repository.source.SourceFile;
import dev.onnxserving.repository.source.SourceListing;
import dev.onnxserving.repository.source.SourceVersion;
import dev.onnxserving.testing.FolderSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** One model's sync from a source over a local folder into the cache, with the source's faults. */
class ModelSyncTests {

    private static final String MODEL = "iris";

    @TempDir
    Path temp;

    private Path published;
    private Path cacheRoot;
    private FolderSource source;
    private ModelCache cache;
    private ModelSync sync;
    private final AtomicLong bytes = new AtomicLong();

    @BeforeEach
    void setUp() throws IOException {
        published = Files.createDirectories(temp.resolve("source").resolve(MODEL));
        cacheRoot = temp.resolve("cache");
        source = new FolderSource("test://folder/" + MODEL, published);
        cache = new ModelCache(cacheRoot);
        sync = new ModelSync(cache, ModelLock.NONE);
        Files.writeString(published.resolve("model.yaml"), "description: from the source\n");
        Files.writeString(published.resolve("labels.txt"), "setosa\nversicolor\nvirginica\n");
        publish(1, "version one");
        publish(2, "version two");
    }

    private void publish(long version, String content) throws IOException {
        Path folder = Files.createDirectories(published.resolve(Long.toString(version)));
        Files.writeString(folder.resolve("model.onnx"), content);
    }

    private SyncReport sync(String policy) {
        return sync.sync(
                MODEL, source, (defaults, listed) -> VersionPolicy.parse(policy).select(listed), bytes::addAndGet);
    }

    /** The versions the repository would load from the cache. */
    private List<Long> loadable() {
        SourcedModels sourced = new SourcedModels();
        sourced.replace(Set.of(MODEL));
        return new ModelRepository(temp.resolve("local"), cacheRoot, sourced)
                .versions(MODEL).stream().map(v -> v.version()).toList();
    }

    private List<String> workFolders() throws IOException {
        try (Stream<Path> entries = Files.list(cacheRoot)) {
            return entries.map(path -> path.getFileName().toString())
                    .filter(name -> name.startsWith("."))
                    .toList();
        }
    }

    @Test
    void fetchesTheModelFilesAndTheSelectedVersionsWithTheirManifests() throws IOException {
        SyncReport report = sync("latest");

        assertThat(report.listed()).containsExactlyInAnyOrder(1L, 2L);
        assertThat(report.fetched()).containsExactly(2L);
        assertThat(loadable()).containsExactly(2L);
        assertThat(cacheRoot.resolve(MODEL).resolve("model.yaml")).hasContent("description: from the source");
        assertThat(cacheRoot.resolve(MODEL).resolve("labels.txt")).isRegularFile();
        CacheManifest manifest = cache.version(MODEL, 2).orElseThrow();
        assertThat(manifest.location()).isEqualTo("test://folder/iris");
        assertThat(manifest.digest()).isEqualTo(source.version(2).digest());
        assertThat(manifest.files()).containsOnlyKeys("model.onnx");
        assertThat(manifest.files().get("model.onnx")).startsWith("sha256:");
        assertThat(bytes.get()).isEqualTo(report.bytes()).isPositive();
        assertThat(workFolders()).isEmpty();
    }

    @Test
    void neverFetchesAVersionWithAnUnchangedDigestAgainButFetchesOneThatChanged() throws IOException {
        sync("all");
        sync("all");
        assertThat(source.fetches("1/model.onnx")).isEqualTo(1);
        assertThat(source.fetches("2/model.onnx")).isEqualTo(1);
        assertThat(source.fetches("model.yaml")).isEqualTo(1);

        publish(2, "version two, republished");
        SyncReport report = sync("all");

        assertThat(report.fetched()).containsExactly(2L);
        assertThat(source.fetches("1/model.onnx")).isEqualTo(1);
        assertThat(source.fetches("2/model.onnx")).isEqualTo(2);
        assertThat(cacheRoot.resolve(MODEL).resolve("2").resolve("model.onnx")).hasContent("version two, republished");
    }

    @Test
    void aConnectionDroppedMidDownloadLeavesNothingThatLoadsAndTheNextSyncCompletes() throws IOException {
        source.failNextFetchAfter(4);

        assertThatThrownBy(() -> sync("1,2"))
                .isInstanceOfSatisfying(
                        SourceException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNREACHABLE));
        assertThat(loadable()).as("a version with part of a file never loads").doesNotContain(1L);
        assertThat(workFolders()).as("the partial download is removed").isEmpty();

        sync("1,2");
        assertThat(loadable()).containsExactly(1L, 2L);
        assertThat(cacheRoot.resolve(MODEL).resolve("1").resolve("model.onnx")).hasContent("version one");
    }

    @Test
    void aFileWhoseDigestDoesNotMatchIsRefusedAndTheCachedVersionStays() throws IOException {
        sync("2");
        publish(2, "tampered");
        source.wrongDigest("2/model.onnx");

        assertThatThrownBy(() -> sync("2"))
                .isInstanceOfSatisfying(
                        SourceException.class, e -> assertThat(e.reason()).isEqualTo(Reason.CORRUPT));
        assertThat(cacheRoot.resolve(MODEL).resolve("2").resolve("model.onnx")).hasContent("version two");
        assertThat(loadable()).containsExactly(2L);
        assertThat(workFolders()).isEmpty();
    }

    @Test
    void aFileShorterThanTheSourceSaysIsRefusedAsCorrupt() {
        ModelSource lying = new ModelSource() {
            @Override
            public String location() {
                return source.location();
            }

            @Override
            public SourceListing list() {
                return source.list();
            }

            @Override
            public SourceVersion version(long number) {
                SourceVersion real = source.version(number);
                List<SourceFile> files = real.files().stream()
                        .map(f -> new SourceFile(f.path(), f.size() + 1, f.digest(), f.locator()))
                        .toList();
                return new SourceVersion(number, real.digest(), files);
            }

            @Override
            public void fetch(SourceFile file, Path target) {
                source.fetch(file, target);
            }
        };

        assertThatThrownBy(() -> sync.sync(MODEL, lying, (d, listed) -> listed, n -> {}))
                .isInstanceOfSatisfying(
                        SourceException.class, e -> assertThat(e.reason()).isEqualTo(Reason.CORRUPT))
                .hasMessageContaining("expected 12 bytes, got 11");
        assertThat(loadable()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"../escaped", "/etc/escaped", ".hidden", "sub/../../escaped", "a//b", "sub/.manifest", "a\\b"})
    void refusesAFilePathThatCouldLandOutsideItsFolder(String path) {
        source.listUnsafe(path);

        assertThatThrownBy(() -> sync("1"))
                .isInstanceOfSatisfying(
                        SourceException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID))
                .hasMessageContaining(path);
        assertThat(temp.resolve("escaped")).doesNotExist();
        assertThat(cacheRoot.resolve("escaped")).doesNotExist();
        assertThat(loadable()).isEmpty();
    }

    @Test
    void appliesThePolicyToTheListedNumbersAndResolvesOnlyTheSelectedOfThousands() throws IOException {
        for (long version = 3; version <= 5000; version++) {
            Files.createDirectories(published.resolve(Long.toString(version)));
        }
        publish(4999, "v4999");
        publish(5000, "v5000");

        SyncReport report = sync("latest:2");

        assertThat(report.listed()).hasSize(5000);
        assertThat(report.fetched()).containsExactly(4999L, 5000L);
        assertThat(source.versionCalls(5000)).isEqualTo(1);
        assertThat(source.versionCalls(1)).isZero();
        assertThat(source.versionCalls(4998)).isZero();
        assertThat(source.lists()).isEqualTo(1);
    }

    @Test
    void keepsVersionsTheSourceStillHasAndRemovesOnesItDeleted() throws IOException {
        sync("all");
        sync("1");
        assertThat(loadable())
                .as("no longer selected, still at the source: kept for rollback")
                .containsExactly(1L, 2L);

        try (Stream<Path> files = Files.walk(published.resolve("2"))) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        }
        SyncReport report = sync("1");

        assertThat(report.removed()).containsExactly(2L);
        assertThat(loadable()).containsExactly(1L);
    }

    @Test
    void replacesAndRemovesModelFilesAsTheSourceChangesThem() throws IOException {
        sync("1");
        Files.writeString(published.resolve("model.yaml"), "description: changed\n");
        Files.delete(published.resolve("labels.txt"));

        sync("1");

        assertThat(cacheRoot.resolve(MODEL).resolve("model.yaml")).hasContent("description: changed");
        assertThat(cacheRoot.resolve(MODEL).resolve("labels.txt")).doesNotExist();
        assertThat(source.fetches("1/model.onnx")).isEqualTo(1);
    }

    @Test
    void anUnreachableSourceChangesNothingInTheCache() {
        sync("1");
        source.down(Reason.UNREACHABLE);

        assertThatThrownBy(() -> sync("all"))
                .isInstanceOfSatisfying(
                        SourceException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNREACHABLE));
        assertThat(loadable()).containsExactly(1L);
    }

    @Test
    void startUpRemovesTheWorkFoldersAnInterruptedRunLeft() throws IOException {
        Path stale = Files.createDirectories(cacheRoot.resolve("." + MODEL + ".3.partial-12345"));
        Files.writeString(stale.resolve("model.onnx"), "half");
        Path kept = Files.createDirectories(cacheRoot.resolve(MODEL).resolve("1"));

        cache.removeStalePartials();

        assertThat(stale).doesNotExist();
        assertThat(kept).exists();
    }
}
