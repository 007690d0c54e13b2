/** The model repository on disk, version policies, and the registry of loaded versions with their leases. */
package dev.onnxserving.model;
