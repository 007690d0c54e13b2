package dev.onnxserving.processors.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes PNG and JPEG files with {@code javax.imageio}, entirely in memory (no cache files, no native code).
 *
 * <p>The image size is read from the header and checked against the pixel limit before a single pixel is decoded,
 * so a small file that declares a huge image (a decompression bomb) costs nothing. A file the decoder has to guess
 * at (truncated or corrupt data, which ImageIO otherwise reports only as a warning) is refused rather than served as
 * a half-grey image. Thread-safe: every call uses its own reader.
 */
final class ImageDecoder {

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    private static final int PNG_HEADER_END = 24;

    private ImageDecoder() {}

    /** @throws BadImageException when the bytes are not a PNG or JPEG image that decodes, or it is too large */
    static BufferedImage decode(byte[] bytes, long maxPixels) throws BadImageException {
        if (bytes.length == 0) {
            throw new BadImageException("expected a PNG or JPEG image, got 0 bytes");
        }
        String format = format(bytes);
        if (format.equals("PNG")) {
            checkSize(pngWidth(bytes), pngHeight(bytes), maxPixels);
        }
        ImageReader reader = reader(format);
        List<String> warnings = new ArrayList<>();
        try (ImageInputStream input = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            reader.setInput(input, true, true);
            reader.addIIOReadWarningListener(collect(warnings));
            if (format.equals("JPEG")) {
                checkSize(reader.getWidth(0), reader.getHeight(0), maxPixels);
            }
            BufferedImage image = reader.read(0);
            if (!warnings.isEmpty()) {
                throw new BadImageException("the " + format + " image is truncated or corrupt: " + warnings.get(0));
            }
            return image;
        } catch (IOException e) {
            throw new BadImageException("the " + format + " image cannot be decoded: " + describe(e));
        } catch (RuntimeException e) {
            throw new BadImageException("the " + format + " image is corrupt and cannot be decoded");
        } finally {
            reader.dispose();
        }
    }

    /** {@code PNG} or {@code JPEG} from the file signature. */
    private static String format(byte[] bytes) throws BadImageException {
        if (bytes.length >= PNG_SIGNATURE.length
                && Arrays.equals(bytes, 0, PNG_SIGNATURE.length, PNG_SIGNATURE, 0, PNG_SIGNATURE.length)) {
            return "PNG";
        }
        if (bytes.length >= 3 && (bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xFF) == 0xD8 && (bytes[2] & 0xFF) == 0xFF) {
            return "JPEG";
        }
        String other = otherFormat(bytes);
        throw new BadImageException("expected a PNG or JPEG image, got "
                + (other == null
                        ? bytes.length + " bytes that are neither (they begin with " + hex(bytes) + ")"
                        : "a " + other + " image"));
    }

    private static String otherFormat(byte[] bytes) {
        String start = new String(bytes, 0, Math.min(bytes.length, 12), StandardCharsets.ISO_8859_1);
        if (start.startsWith("GIF8")) {
            return "GIF";
        }
        if (start.startsWith("BM")) {
            return "BMP";
        }
        if (start.startsWith("RIFF")
                && start.length() >= 12
                && start.substring(8, 12).equals("WEBP")) {
            return "WebP";
        }
        if (start.startsWith("II*\0") || start.startsWith("MM\0*")) {
            return "TIFF";
        }
        return null;
    }

    private static long pngWidth(byte[] bytes) throws BadImageException {
        checkPngHeader(bytes);
        return readUnsignedInt(bytes, 16);
    }

    private static long pngHeight(byte[] bytes) throws BadImageException {
        checkPngHeader(bytes);
        return readUnsignedInt(bytes, 20);
    }

    private static void checkPngHeader(byte[] bytes) throws BadImageException {
        if (bytes.length < PNG_HEADER_END || !new String(bytes, 12, 4, StandardCharsets.ISO_8859_1).equals("IHDR")) {
            throw new BadImageException("the PNG image is truncated or corrupt: it has no IHDR header");
        }
    }

    private static long readUnsignedInt(byte[] bytes, int offset) {
        return ((bytes[offset] & 0xFFL) << 24)
                | ((bytes[offset + 1] & 0xFFL) << 16)
                | ((bytes[offset + 2] & 0xFFL) << 8)
                | (bytes[offset + 3] & 0xFFL);
    }

    private static void checkSize(long width, long height, long maxPixels) throws BadImageException {
        if (width <= 0 || height <= 0) {
            throw new BadImageException("the image is " + width + "x" + height + " pixels; expected at least 1x1");
        }
        long pixels = width * height;
        if (pixels > maxPixels) {
            throw new BadImageException("the image is " + width + "x" + height + " = " + pixels
                    + " pixels, more than the limit of " + maxPixels + " (max-pixels)");
        }
    }

    private static ImageReader reader(String format) {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format);
        if (!readers.hasNext()) {
            throw new IllegalStateException("this Java runtime has no ImageIO reader for " + format);
        }
        return readers.next();
    }

    private static IIOReadWarningListener collect(List<String> warnings) {
        return (source, warning) -> warnings.add(warning);
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? "the data is corrupt" : message;
    }

    private static String hex(byte[] bytes) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < Math.min(4, bytes.length); i++) {
            text.append(i == 0 ? "" : " ").append(String.format("%02x", bytes[i] & 0xFF));
        }
        return text.toString();
    }
}
