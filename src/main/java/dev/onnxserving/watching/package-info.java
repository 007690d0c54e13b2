/** Watching the model repository and the configuration file while serving, and the start-up run that loads the models first. */
package dev.onnxserving.watching;
