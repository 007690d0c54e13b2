/**
 * Helpers of every test: the one HTTP client, the one image writer, temporary model repositories, the v2 binary
 * encoding, and the {@code @ServingEndToEndTest} annotation of end-to-end tests.
 */
package dev.onnxserving.testing;
