package dev.onnxserving.kafka;

import dev.onnxserving.observability.ServingMetrics.Outcome;

/**
 * What a record is answered with: the output's value (exactly what the REST API would answer) and, for a record
 * that could not be processed, the problem its dead letter carries.
 *
 * @param requestId the id the record is known by: its {@code X-Request-Id} header, its trace id, or a new one
 * @param value the output record's value, JSON
 * @param contentType the value's media type
 * @param headerLength the length of the JSON object at the start of a binary value (the binary tensor data
 *     extension's header), {@code null} for a JSON value
 * @param outcome how the record ended
 * @param model the model that served, or the binding's when none did
 * @param version the version that served; {@code null} when none did
 * @param problem why the record is dead-lettered; {@code null} when it is not
 */
record Answer(
        String requestId,
        byte[] value,
        String contentType,
        Integer headerLength,
        Outcome outcome,
        String model,
        Long version,
        Problem problem) {

    /**
     * Why a record is dead-lettered.
     *
     * @param reason the failure's kind in lower case, e.g. {@code invalid_input}; a small fixed set (a metric tag)
     * @param status the HTTP status the REST API answers the same failure with
     * @param detail the same message REST gives
     * @param pointer a JSON pointer into the record's value, or {@code null}
     */
    record Problem(String reason, int status, String detail, String pointer) {}
}
