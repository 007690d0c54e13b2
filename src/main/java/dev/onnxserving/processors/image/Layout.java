package dev.onnxserving.processors.image;

/** Where the channel dimension sits in a model's 4-d image input. */
enum Layout {
    /** {@code [batch, channels, height, width]}: PyTorch, PaddlePaddle, most ONNX exports. */
    NCHW,
    /** {@code [batch, height, width, channels]}: TensorFlow and Keras. */
    NHWC
}
