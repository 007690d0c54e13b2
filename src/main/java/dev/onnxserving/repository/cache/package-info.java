/**
 * The local cache of the models that come from a source: fetching a model's files and its selected versions into
 * dot-named folders, checking and recording them in a manifest, renaming them into place, and pruning what the source
 * no longer holds. The lifecycle reads the cache like any local repository.
 */
package dev.onnxserving.repository.cache;
