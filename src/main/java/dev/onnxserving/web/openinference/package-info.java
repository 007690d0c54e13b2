/** The Open Inference Protocol v2 (KServe, Triton): health, metadata and raw tensor inference, JSON and binary. */
package dev.onnxserving.web.openinference;
