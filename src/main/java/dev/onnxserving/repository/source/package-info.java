/**
 * Where model versions come from when they are not on local disk: the source contract ({@link
 * dev.onnxserving.repository.source.ModelSource}, one per model location), what a source lists, and the errors a
 * source raises. Sources never load anything; they are synced into the local cache, which the lifecycle reads like
 * any local repository.
 */
package dev.onnxserving.repository.source;
