/** Orchestration of one request: lease a version, preprocess, run, postprocess, time each stage. */
package dev.onnxserving.inference;
