package dev.onnxserving.watching;

import dev.onnxserving.deployment.DeploymentConflictException;
import dev.onnxserving.deployment.DeploymentFile;
import dev.onnxserving.deployment.ModelManager;
import dev.onnxserving.deployment.ServingProperties;
import dev.onnxserving.pipeline.InvalidInputException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the configuration file ({@code serving.config-file}) by its content, so any way of replacing
 * it works: an editor's save, a rename into place, or the symbolic-link swap with which Kubernetes updates a mounted
 * ConfigMap ({@code ..data}). A changed, valid file is applied to the models whose section changed; an invalid one, or
 * one whose settings contradict each other, is logged and counted, and the settings before it stay in force. A missing file counts as an empty one.
 */
final class ConfigFileWatcher extends Poller {

    private static final Logger log = LoggerFactory.getLogger(ConfigFileWatcher.class);

    private final Path file;
    private final ModelManager manager;
    private final Duration interval;
    private final MeterRegistry meters;
    private final ConfigurationListener listener;
    private String lastText;
    /** The file held and why, while it is: logged and counted once, not on every look. */
    private String heldFor;

    ConfigFileWatcher(Path file, ModelManager manager, Duration interval, boolean fileEvents, MeterRegistry meters) {
        this(file, manager, interval, fileEvents, meters, ConfigurationListener.NONE);
    }

    /** @param listener told before a changed file applies (it may refuse it) and after */
    ConfigFileWatcher(
            Path file,
            ModelManager manager,
            Duration interval,
            boolean fileEvents,
            MeterRegistry meters,
            ConfigurationListener listener) {
        super("config-file-watcher", fileEvents);
        this.file = file.toAbsolutePath().normalize();
        this.manager = manager;
        this.interval = interval;
        this.meters = meters;
        this.listener = listener;
    }

    /**
     * Reads the file as it is at start-up.
     *
     * @throws IllegalStateException when it is invalid: the service does not start on a broken configuration
     */
    Map<String, ServingProperties.Model> readInitial() {
        String text = read();
        lastText = text;
        try {
            Map<String, ServingProperties.Model> sections = DeploymentFile.parse(text);
            log.info("Configuration file {}: settings for models {}", file, sections.keySet());
            return sections;
        } catch (InvalidInputException e) {
            throw new IllegalStateException("serving.config-file " + file + " is invalid: " + e.getMessage());
        }
    }

    @Override
    synchronized void start() {
        log.info("Watching the configuration file {} (every {} ms)", file, interval.toMillis());
        super.start();
    }

    @Override
    protected void poll() {
        String text;
        try {
            text = read();
        } catch (IllegalStateException e) {
            log.warn("Cannot read the configuration file {}: {}", file, e.getMessage());
            return;
        }
        if (text.equals(lastText)) {
            return;
        }
        lastText = text;
        try {
            Map<String, ServingProperties.Model> sections = DeploymentFile.parse(text);
            listener.beforeApply(sections);
            manager.applyConfigurationFile(sections);
            listener.afterApply();
            heldFor = null;
            log.info("Configuration file {} changed and is applied", file);
            countReload("applied");
        } catch (SelectionNotFetchedException e) {
            lastText = null;
            String held = text + '\n' + e.getMessage();
            if (held.equals(heldFor)) {
                return;
            }
            heldFor = held;
            log.warn(
                    "Configuration file {} changed but is held until its sources deliver what it selects; the versions serving stay: {}",
                    file,
                    e.getMessage());
            countReload("held");
        } catch (DeploymentConflictException e) {
            log.error(
                    "Configuration file {} changed but is refused; the routing in force stays: {}",
                    file,
                    e.getMessage());
            countReload("refused");
        } catch (InvalidInputException e) {
            log.error(
                    "Configuration file {} changed but is invalid; the settings before it stay: {}",
                    file,
                    e.getMessage());
            countReload("invalid");
        }
    }

    private void countReload(String outcome) {
        Counter.builder("serving.config.reloads")
                .description("Changes of the configuration file, by whether they were applied")
                .tag("outcome", outcome)
                .register(meters)
                .increment();
    }

    @Override
    protected Duration nextWait() {
        return interval;
    }

    @Override
    protected Collection<Path> directories() {
        Path parent = file.getParent();
        return parent == null ? List.of() : List.of(parent);
    }

    private String read() {
        try {
            if (Files.size(file) > DeploymentFile.MAX_BYTES) {
                throw new IllegalStateException("the file is larger than 1 MB");
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return "";
        } catch (IOException e) {
            throw new IllegalStateException(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
