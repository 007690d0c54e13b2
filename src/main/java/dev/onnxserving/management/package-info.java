/** The operators' management API under a bearer key: models, versions, routing, and the v2 repository extension. */
package dev.onnxserving.management;
