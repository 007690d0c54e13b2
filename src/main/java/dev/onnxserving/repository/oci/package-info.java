/**
 * Model sources in OCI registries ({@code oci://registry/repository/<model>}): a client of the OCI distribution API
 * that lists a model's version tags, reads their manifests and streams their layers, with the registry's bearer or
 * basic authentication and docker {@code config.json} credentials.
 */
package dev.onnxserving.repository.oci;
