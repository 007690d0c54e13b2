/** Helpers for end-to-end tests: temporary model repositories and an HTTP client for the running server. */
package dev.onnxserving.testing;
