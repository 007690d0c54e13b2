/** The OpenAPI document, Swagger UI customisation and the schema each loaded model generates for itself. */
package dev.onnxserving.web.openapi;
