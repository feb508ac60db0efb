package org.stationtrust.ctk.internal.testing;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import com.github.jaiimageio.jpeg2000.J2KImageWriteParam;

/**
 * Complete ISO/IEC 19794 records written from the standards' layouts (independently of the
 * simulator's writer), with real JPEG 2000 images, for the field-by-field check tests.
 */
public final class IsoBuilder {
    private IsoBuilder() {
    }

    /** A grey test pattern (a gradient with rings), or a constant image when {@code constant}. */
    public static BufferedImage pattern(int width, int height, boolean constant) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int v = constant ? 128 : (int) (128 + 100 * Math.sin(Math.hypot(x - width / 2.0, y - height / 2.0) / 3));
                img.getRaster().setSample(x, y, 0, v);
            }
        }
        return img;
    }

    /** The image as 24-bit RGB (three equal components). */
    public static BufferedImage rgb(BufferedImage grey) {
        BufferedImage out = new BufferedImage(grey.getWidth(), grey.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        java.awt.Graphics2D g = out.createGraphics();
        try {
            g.drawImage(grey, 0, 0, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    public static byte[] jpeg2000(BufferedImage img, boolean lossless) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg2000").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            J2KImageWriteParam p = (J2KImageWriteParam) writer.getDefaultWriteParam();
            p.setLossless(lossless);
            p.setFilter(lossless ? J2KImageWriteParam.FILTER_53 : J2KImageWriteParam.FILTER_97);
            if (!lossless) {
                p.setEncodingRate(1.0);
            }
            writer.write(null, new IIOImage(img, null, null), p);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /** The capture device and quality algorithm identifiers a record names (0 = unreported). */
    public record Provenance(int vendor, int type, int qualityVendor, int qualityAlgorithm) {
        public static final Provenance UNREPORTED = new Provenance(0, 0, 0, 0);
    }

    /** A 19794-5 landmark point block: type, code, x, y (z written 0). */
    public record Landmark(int type, int code, int x, int y) {
    }

    /** 19794-4:2011 finger record, {@code reps} in the header (one written). */
    public static byte[] finger(int position, int compression, byte[] image, int width, int height, int reps) {
        return finger(position, compression, image, width, height, reps, Provenance.UNREPORTED);
    }

    /** The same with the given capture device and quality algorithm identifiers. */
    public static byte[] finger(int position, int compression, byte[] image, int width, int height, int reps,
                                Provenance provenance) {
        int rep = 4 + 9 + 1 + 2 + 2 + 1 + 5 + 1 + 1 + 1 + 8 + 1 + 1 + 1 + 2 + 2 + 4 + image.length;
        ByteBuffer b = header("FIR", "020", 16, rep, reps);
        b.put((byte) 1);
        common(b, rep, provenance);
        b.put((byte) position).put((byte) 0).put((byte) 1);
        b.putShort((short) 500).putShort((short) 500).putShort((short) 500).putShort((short) 500);
        b.put((byte) 8).put((byte) compression).put((byte) 0);
        b.putShort((short) width).putShort((short) height).putInt(image.length).put(image);
        return b.array();
    }

    /** 19794-6:2011 iris record. */
    public static byte[] iris(int eye, int imageType, int format, int history, byte[] image, int width, int height) {
        int rep = 4 + 9 + 1 + 2 + 2 + 1 + 5 + 2 + 27 + 4 + image.length;
        ByteBuffer b = header("IIR", "020", 16, rep, 1);
        b.put((byte) 1);
        common(b, rep, Provenance.UNREPORTED);
        b.putShort((short) 1).put((byte) eye).put((byte) imageType).put((byte) format).put((byte) (history << 4));
        b.putShort((short) width).putShort((short) height).put((byte) 8);
        b.put(new byte[18]);
        b.putInt(image.length).put(image);
        return b.array();
    }

    /** 19794-5:2011 face record, colour space 1 (24-bit RGB). */
    public static byte[] face(int dataType, byte[] image, int width, int height) {
        return face(dataType, image, width, height, List.of(), 0, 1);
    }

    /** The same with landmark points and a gender code (0 unspecified, 1 male, 2 female, 255 unknown). */
    public static byte[] face(int dataType, byte[] image, int width, int height, List<Landmark> landmarks, int gender) {
        return face(dataType, image, width, height, landmarks, gender, 1);
    }

    /** The same with an image colour space (1 24-bit RGB, 3 8-bit greyscale). */
    public static byte[] face(int dataType, byte[] image, int width, int height, List<Landmark> landmarks, int gender,
                              int colourSpace) {
        int rep = 4 + 9 + 1 + 2 + 2 + 1 + 5 + 17 + 8 * landmarks.size() + 11 + 4 + image.length;
        ByteBuffer b = header("FAC", "030", 17, rep, 1);
        b.putShort((short) 0);
        common(b, rep, Provenance.UNREPORTED);
        b.putShort((short) landmarks.size()).put((byte) gender);
        b.put(new byte[14]);
        for (Landmark l : landmarks) {
            b.put((byte) l.type()).put((byte) l.code()).putShort((short) l.x()).putShort((short) l.y()).putShort((short) 0);
        }
        b.put((byte) 1).put((byte) dataType).putShort((short) width).putShort((short) height);
        b.put(new byte[4]).put((byte) colourSpace);
        b.putInt(image.length).put(image);
        return b.array();
    }

    private static ByteBuffer header(String id, String version, int headerLength, int rep, int reps) {
        ByteBuffer b = ByteBuffer.allocate(headerLength + rep);
        b.put((id + "\0").getBytes(StandardCharsets.US_ASCII)).put((version + "\0").getBytes(StandardCharsets.US_ASCII));
        b.putInt(headerLength + rep).putShort((short) reps).put((byte) 0);
        return b;
    }

    private static void common(ByteBuffer b, int rep, Provenance p) {
        b.putInt(rep);
        b.putShort((short) 2026).put((byte) 1).put((byte) 2).put((byte) 3).put((byte) 4).put((byte) 5).putShort((short) 6);
        b.put((byte) 0).putShort((short) p.vendor()).putShort((short) p.type());
        b.put((byte) 1).put((byte) 80).putShort((short) p.qualityVendor()).putShort((short) p.qualityAlgorithm());
    }
}
