package dev.onnxserving.testing;

import dev.onnxserving.repository.source.ModelSource;
import dev.onnxserving.repository.source.SourceException;
import dev.onnxserving.repository.source.SourceException.Reason;
import dev.onnxserving.repository.source.SourceFile;
import dev.onnxserving.repository.source.SourceListing;
import dev.onnxserving.repository.source.SourceVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * A {@link ModelSource} over a local folder with the repository layout ({@code <folder>/model.yaml}, {@code
 * <folder>/<version>/model.onnx}), sha256 digests, and faults to switch on: down, failing after part of a file, a
 * wrong digest, extra files with unsafe paths. Counts what it is asked.
 */
public final class FolderSource implements ModelSource {

    private final String location;
    private final Path folder;
    private final AtomicReference<Reason> down = new AtomicReference<>();
    private final AtomicLong failAfterBytes = new AtomicLong(-1);
    private final AtomicReference<String> wrongDigestFor = new AtomicReference<>();
    private final AtomicReference<String> unsafePath = new AtomicReference<>();
    private final AtomicInteger lists = new AtomicInteger();
    private final ConcurrentHashMap<Long, AtomicInteger> versionCalls = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicInteger> fetches = new ConcurrentHashMap<>();
    private volatile CountDownLatch listed = new CountDownLatch(1);

    public FolderSource(String location, Path folder) {
        this.location = location;
        this.folder = folder;
    }

    /** Every call fails with {@code reason} until {@link #up()}. */
    public FolderSource down(Reason reason) {
        down.set(reason);
        return this;
    }

    public FolderSource up() {
        down.set(null);
        return this;
    }

    /** The next fetch writes {@code bytes} bytes, then the connection drops ({@link Reason#UNREACHABLE}). */
    public FolderSource failNextFetchAfter(long bytes) {
        failAfterBytes.set(bytes);
        return this;
    }

    /** The version listing of files under {@code path} (e.g. {@code 2/model.onnx}) sends a wrong digest. */
    public FolderSource wrongDigest(String path) {
        wrongDigestFor.set(path);
        return this;
    }

    /** Every version also lists a file at {@code path}. */
    public FolderSource listUnsafe(String path) {
        unsafePath.set(path);
        return this;
    }

    /** How often a file was fetched, by path relative to the model folder ({@code 1/model.onnx}). */
    public int fetches(String path) {
        AtomicInteger count = fetches.get(path);
        return count == null ? 0 : count.get();
    }

    /** How often a version was resolved. */
    public int versionCalls(long number) {
        AtomicInteger count = versionCalls.get(number);
        return count == null ? 0 : count.get();
    }

    public int lists() {
        return lists.get();
    }

    /** A latch that opens at the next listing after this call. */
    public CountDownLatch nextListing() {
        CountDownLatch latch = new CountDownLatch(1);
        listed = latch;
        return latch;
    }

    @Override
    public String location() {
        return location;
    }

    @Override
    public SourceListing list() {
        lists.incrementAndGet();
        try {
            failIfDown();
            List<SourceFile> modelFiles = new ArrayList<>();
            SortedSet<Long> versions = new TreeSet<>();
            for (Path entry : children(folder)) {
                String name = entry.getFileName().toString();
                if (Files.isDirectory(entry) && name.matches("[1-9][0-9]*")) {
                    versions.add(Long.parseLong(name));
                } else if (Files.isRegularFile(entry)) {
                    modelFiles.add(file(name, entry));
                }
            }
            return new SourceListing(modelFiles, versions);
        } finally {
            listed.countDown();
        }
    }

    @Override
    public SourceVersion version(long number) {
        versionCalls.computeIfAbsent(number, key -> new AtomicInteger()).incrementAndGet();
        failIfDown();
        Path versionFolder = folder.resolve(Long.toString(number));
        if (!Files.isDirectory(versionFolder)) {
            throw new SourceException(Reason.NOT_FOUND, location + ": no version " + number);
        }
        List<SourceFile> files = new ArrayList<>();
        MessageDigest whole = sha256();
        for (Path entry : children(versionFolder)) {
            if (Files.isRegularFile(entry)) {
                SourceFile file = file(number + "/" + entry.getFileName(), entry);
                SourceFile relative =
                        new SourceFile(entry.getFileName().toString(), file.size(), file.digest(), file.locator());
                files.add(relative);
                whole.update((relative.path() + ":" + relative.digest() + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        String unsafe = unsafePath.get();
        if (unsafe != null) {
            files.add(new SourceFile(unsafe, 1, "sha256:00", number + "/model.onnx"));
        }
        return new SourceVersion(number, "sha256:" + HexFormat.of().formatHex(whole.digest()), files);
    }

    @Override
    public void fetch(SourceFile file, Path target) {
        fetches.computeIfAbsent(file.locator(), key -> new AtomicInteger()).incrementAndGet();
        failIfDown();
        long limit = failAfterBytes.getAndSet(-1);
        MessageDigest digest = sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(folder.resolve(file.locator())), digest);
                OutputStream out = Files.newOutputStream(target)) {
            byte[] buffer = new byte[8192];
            long written = 0;
            int read;
            while ((read = in.read(buffer)) >= 0) {
                if (limit >= 0 && written + read > limit) {
                    out.write(buffer, 0, (int) (limit - written));
                    throw new SourceException(
                            Reason.UNREACHABLE, location + ": connection reset fetching " + file.path());
                }
                out.write(buffer, 0, read);
                written += read;
            }
        } catch (IOException e) {
            throw new SourceException(Reason.NOT_FOUND, location + ": cannot read " + file.locator() + ": " + e);
        }
        String actual = "sha256:" + HexFormat.of().formatHex(digest.digest());
        if (!actual.equals(file.digest())) {
            throw new SourceException(
                    Reason.CORRUPT, location + " " + file.path() + ": expected " + file.digest() + ", got " + actual);
        }
    }

    private SourceFile file(String locator, Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            MessageDigest digest = sha256();
            byte[] buffer = new byte[8192];
            int read;
            while ((read = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, read);
            }
            String value = "sha256:" + HexFormat.of().formatHex(digest.digest());
            if (locator.equals(wrongDigestFor.get())) {
                value = "sha256:" + "0".repeat(64);
            }
            return new SourceFile(path.getFileName().toString(), Files.size(path), value, locator);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void failIfDown() {
        Reason reason = down.get();
        if (reason != null) {
            throw new SourceException(reason, location + ": " + reason.tag() + " (test source switched off)");
        }
    }

    private static List<Path> children(Path folder) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
