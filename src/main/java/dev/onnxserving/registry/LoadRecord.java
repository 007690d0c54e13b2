package dev.onnxserving.registry;

import java.time.Duration;
import java.time.Instant;

/**
 * One load attempt of a version, for the management API's history.
 *
 * @param version the version number
 * @param at when the attempt ended
 * @param succeeded whether the version became READY
 * @param duration how long loading and warming up took
 * @param failure why it failed, {@code null} when it succeeded
 * @param reason the failure's message, empty when it succeeded
 */
public record LoadRecord(
        long version, Instant at, boolean succeeded, Duration duration, LoadFailure failure, String reason) {}
