/** The image preprocessor: PNG and JPEG decoding with a pixel limit, colour conversion, resizing, normalisation. */
package dev.onnxserving.processors.image;
