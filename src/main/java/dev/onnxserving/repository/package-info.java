/** What exists on disk: model folders, their versions and their model.yaml settings, and when a folder has settled; never loads anything. */
package dev.onnxserving.repository;
