/** The benchmark suite's own programs: the in-process ONNX Runtime baseline and the report writer. */
package dev.onnxserving.bench;
