/** Hot reload: watches the model repository and the configuration file and applies their changes while serving. */
package dev.onnxserving.lifecycle;
