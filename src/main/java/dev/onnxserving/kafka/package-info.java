/**
 * Streaming inference over Kafka: bindings from an input topic through a model to an output topic (and a
 * dead-letter topic), off unless {@code serving.kafka.bindings} names one. An adapter like {@code web}: it runs
 * records through {@code inference.InferenceService} and never reaches into {@code runtime}.
 */
package dev.onnxserving.kafka;
