/**
 * HTTP adapters: the application API, the models listing, request bodies (limits, compression, charset), the one
 * error mapping (application, container and v2 shapes) and the drain at shutdown.
 */
package dev.onnxserving.web;
