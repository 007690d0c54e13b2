/** HTTP adapters: the application API, the models listing, request limits and the one error handler. */
package dev.onnxserving.web;
