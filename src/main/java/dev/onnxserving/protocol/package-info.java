/** What the service's adapters read and answer alike (HTTP and Kafka): request bodies, answer bodies, problems. */
package dev.onnxserving.protocol;
