package dev.onnxserving.repository;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FingerprintsTests {

    @TempDir
    Path model;

    @BeforeEach
    void files() throws IOException {
        Files.writeString(model.resolve("model.yaml"), "description: iris\n");
        Files.createDirectories(model.resolve("1"));
        Files.writeString(model.resolve("1/model.onnx"), "weights");
    }

    @Test
    void modelFilesIgnoreTheVersionFolders() throws IOException {
        String before = Fingerprints.ofModelFiles(model);
        Files.writeString(model.resolve("1/model.onnx"), "other weights");
        Files.createDirectories(model.resolve("2/data"));
        Files.writeString(model.resolve("2/data/weights.bin"), "external");
        assertThat(Fingerprints.ofModelFiles(model)).isEqualTo(before);
        assertThat(Fingerprints.ofTree(model.resolve("1"))).isNotEqualTo(Fingerprints.ofTree(model.resolve("2")));
    }

    @Test
    void modelFilesSeeModelYamlAndFoldersThatAreNotVersions() throws IOException {
        String first = Fingerprints.ofModelFiles(model);
        Files.writeString(model.resolve("model.yaml"), "description: iris flowers\n");
        String second = Fingerprints.ofModelFiles(model);
        Files.createDirectories(model.resolve("tokenizer"));
        Files.writeString(model.resolve("tokenizer/vocab.txt"), "a\nb\n");
        String third = Fingerprints.ofModelFiles(model);
        assertThat(first).isNotEqualTo(second);
        assertThat(second).isNotEqualTo(third);
    }

    @Test
    void treeCoversEveryFileOfTheModelFolder() throws IOException {
        String before = Fingerprints.ofTree(model);
        Files.writeString(model.resolve("1/model.onnx"), "other weights");
        assertThat(Fingerprints.ofTree(model)).isNotEqualTo(before);
    }

    @Test
    void aLinkedFileCountsWithWhatItPointsTo(@TempDir Path elsewhere) throws IOException {
        Path target = Files.writeString(elsewhere.resolve("labels.txt"), "setosa\n");
        Files.createSymbolicLink(model.resolve("labels.txt"), target);
        String before = Fingerprints.ofModelFiles(model);
        Files.writeString(target, "setosa\nversicolor\n");
        assertThat(Fingerprints.ofModelFiles(model)).isNotEqualTo(before);
    }

    @Test
    void aMissingFolderIsAbsent() {
        assertThat(Fingerprints.ofTree(model.resolve("9"))).isEqualTo("absent");
    }
}
