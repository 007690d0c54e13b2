/** Loading one version: opening its session, checking its signature, binding its processors and warming it up. */
package dev.onnxserving.loading;
