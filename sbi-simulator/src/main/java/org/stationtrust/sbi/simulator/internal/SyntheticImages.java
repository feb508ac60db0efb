package org.stationtrust.sbi.simulator.internal;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Small synthetic 8-bit grey images standing in for sensor output. They carry no real biometric:
 * ridges, an iris ring, a face outline, varied by a seed so that every capture differs.
 */
public final class SyntheticImages {
    public static final int FINGER_WIDTH = 80;
    public static final int FINGER_HEIGHT = 100;
    public static final int IRIS_WIDTH = 96;
    public static final int IRIS_HEIGHT = 72;
    public static final int FACE_WIDTH = 96;
    public static final int FACE_HEIGHT = 120;

    private SyntheticImages() {
    }

    /** Concentric elliptical ridges, like a fingertip. */
    public static BufferedImage fingerprint(long seed) {
        BufferedImage img = new BufferedImage(FINGER_WIDTH, FINGER_HEIGHT, BufferedImage.TYPE_BYTE_GRAY);
        byte[] px = pixels(img);
        double phase = (seed & 0xFFFF) / 1000.0;
        double cx = FINGER_WIDTH / 2.0 + (seed % 7) - 3;
        double cy = FINGER_HEIGHT / 2.0 + (seed % 5) - 2;
        for (int y = 0; y < FINGER_HEIGHT; y++) {
            for (int x = 0; x < FINGER_WIDTH; x++) {
                double dx = (x - cx) / 34.0;
                double dy = (y - cy) / 44.0;
                double r = Math.sqrt(dx * dx + dy * dy);
                int v = r > 1.0 ? 245 : (int) (128 + 100 * Math.sin(r * 60 + phase));
                px[y * FINGER_WIDTH + x] = (byte) v;
            }
        }
        return img;
    }

    /** Dark pupil, textured iris ring, light sclera. */
    public static BufferedImage iris(long seed) {
        BufferedImage img = new BufferedImage(IRIS_WIDTH, IRIS_HEIGHT, BufferedImage.TYPE_BYTE_GRAY);
        byte[] px = pixels(img);
        double cx = IRIS_WIDTH / 2.0;
        double cy = IRIS_HEIGHT / 2.0;
        for (int y = 0; y < IRIS_HEIGHT; y++) {
            for (int x = 0; x < IRIS_WIDTH; x++) {
                double r = Math.hypot(x - cx, y - cy);
                double a = Math.atan2(y - cy, x - cx);
                int v;
                if (r < 9) {
                    v = 20;
                } else if (r < 30) {
                    v = (int) (110 + 40 * Math.sin(a * 24 + (seed % 97)) * Math.cos(r / 2.0));
                } else {
                    v = 215;
                }
                px[y * IRIS_WIDTH + x] = (byte) v;
            }
        }
        return img;
    }

    /** A face outline with eyes and mouth; the exception photo adds a raised hand. */
    public static BufferedImage face(long seed, boolean exceptionPhoto) {
        BufferedImage img = new BufferedImage(FACE_WIDTH, FACE_HEIGHT, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(new Color(200, 200, 200));
            g.fillRect(0, 0, FACE_WIDTH, FACE_HEIGHT);
            int shift = (int) (seed % 5) - 2;
            g.setColor(new Color(150, 150, 150));
            g.fillOval(18 + shift, 15, 60, 84);
            g.setColor(new Color(40, 40, 40));
            g.fillOval(33 + shift, 45, 8, 5);
            g.fillOval(55 + shift, 45, 8, 5);
            g.drawArc(36 + shift, 68, 24, 12, 200, 140);
            if (exceptionPhoto) {
                g.setColor(new Color(90, 90, 90));
                g.fillRect(70, 60, 22, 50);
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    /**
     * Where {@link #face} draws the eye centres and the nose tip, as 19794-5 landmark points: MPEG-4
     * feature points 12.1 (right eye centre, on the image's left), 12.2 (left eye centre), 9.3 (nose tip).
     */
    public static java.util.List<IsoRecords.Landmark> faceLandmarks(long seed) {
        int shift = (int) (seed % 5) - 2;
        return java.util.List.of(IsoRecords.Landmark.mpeg4(12, 1, 37 + shift, 47),
                IsoRecords.Landmark.mpeg4(12, 2, 59 + shift, 47), IsoRecords.Landmark.mpeg4(9, 3, 48 + shift, 62));
    }

    /** A live-view frame for STREAM: the face or sensor pattern with a moving bar. */
    public static BufferedImage streamFrame(long frameNumber, int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        byte[] px = pixels(img);
        int bar = (int) ((frameNumber * 7) % width);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int v = Math.abs(x - bar) < 4 ? 30 : 100 + ((x ^ y) & 63);
                px[y * width + x] = (byte) v;
            }
        }
        return img;
    }

    /** The raw 8-bit pixels, row by row (for ISO "uncompressed" image data). */
    public static byte[] rawGray(BufferedImage img) {
        return pixels(img).clone();
    }

    /** The image as 24-bit RGB (three equal components), as MOSIP wants face images. */
    public static BufferedImage rgb(BufferedImage img) {
        BufferedImage out = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = out.createGraphics();
        try {
            g.drawImage(img, 0, 0, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    /** WSQ (ISO/IEC 19794-4 compression 2) of a grey fingerprint at the specification's 15:1 setting. */
    public static byte[] wsq(BufferedImage img) {
        return WsqEncoder.encode(rawGray(img), img.getWidth(), img.getHeight(), WsqEncoder.DEFAULT_BITRATE);
    }

    /** Baseline JPEG of a grey image. */
    public static byte[] jpeg(BufferedImage img, float quality) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam p = writer.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(quality);
            writer.write(null, new IIOImage(img, null, null), p);
        } catch (IOException e) {
            throw new IllegalStateException("JPEG encoding failed", e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /**
     * JPEG 2000 (JP2 file) of a grey image: reversible 5-3 wavelet when {@code lossless}, else the
     * irreversible 9-7 wavelet at 1 bit per pixel (ISO/IEC 15444-1 COD marker says which).
     */
    public static byte[] jpeg2000(BufferedImage img, boolean lossless) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg2000").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            com.github.jaiimageio.jpeg2000.J2KImageWriteParam p =
                    (com.github.jaiimageio.jpeg2000.J2KImageWriteParam) writer.getDefaultWriteParam();
            p.setLossless(lossless);
            p.setFilter(lossless ? com.github.jaiimageio.jpeg2000.J2KImageWriteParam.FILTER_53
                    : com.github.jaiimageio.jpeg2000.J2KImageWriteParam.FILTER_97);
            if (!lossless) {
                p.setEncodingRate(1.0);
            }
            writer.write(null, new IIOImage(img, null, null), p);
        } catch (IOException e) {
            throw new IllegalStateException("JPEG 2000 encoding failed", e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    private static byte[] pixels(BufferedImage img) {
        return ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
    }
}
