/** Text processors: Hugging Face tokenization into transformer inputs, and pooling of token vectors into embeddings. */
package dev.onnxserving.processors.text;
