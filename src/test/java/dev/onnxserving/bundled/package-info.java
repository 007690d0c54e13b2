/** End-to-end tests of the bundled models over real HTTP, against independent references. */
package dev.onnxserving.bundled;
