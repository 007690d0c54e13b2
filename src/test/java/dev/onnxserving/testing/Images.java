package dev.onnxserving.testing;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The one image writer of the tests: images encoded with ImageIO, PNG files written chunk by chunk to declare any
 * size, and the {@code {"b64": ...}} instance that carries a file in JSON.
 */
public final class Images {

    private Images() {}

    public static byte[] encode(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static byte[] png(BufferedImage image) {
        return encode(image, "png");
    }

    /** An image instance, {@code {"b64": ...}}. */
    public static ObjectNode b64(byte[] file) {
        return JsonNodeFactory.instance
                .objectNode()
                .put("b64", Base64.getEncoder().encodeToString(file));
    }

    /** A gray image whose pixel (x, y) is {@code values[y][x]}. */
    public static BufferedImage gray(int[][] values) {
        BufferedImage image = new BufferedImage(values[0].length, values.length, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < values.length; y++) {
            for (int x = 0; x < values[0].length; x++) {
                image.getRaster().setSample(x, y, 0, values[y][x]);
            }
        }
        return image;
    }

    /** An RGB image filled with one colour. */
    public static BufferedImage filled(int width, int height, int red, int green, int blue) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, (red << 16) | (green << 8) | blue);
            }
        }
        return image;
    }

    /**
     * A valid 8-bit grayscale PNG that declares {@code width × height} pixels, all black, whose compressed data is
     * generated row by row (so even 20000 × 20000 takes a few hundred kilobytes and no large buffer).
     */
    public static byte[] blackPng(int width, int height) {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        ByteBuffer header = ByteBuffer.allocate(13).putInt(width).putInt(height);
        header.put((byte) 8).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(png, "IHDR", header.array());
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        byte[] row = new byte[width + 1];
        byte[] buffer = new byte[1 << 16];
        for (int y = 0; y < height; y++) {
            deflater.setInput(row);
            while (!deflater.needsInput()) {
                compressed.write(buffer, 0, deflater.deflate(buffer));
            }
        }
        deflater.finish();
        while (!deflater.finished()) {
            compressed.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        chunk(png, "IDAT", compressed.toByteArray());
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
