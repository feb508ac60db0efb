package org.stationtrust.ctk.internal.iso;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.jnbis.api.Jnbis;
import org.jnbis.api.model.Bitmap;

/**
 * Decodes the image of an ISO record to prove it is an image of the declared size: JPEG 2000
 * (jai-imageio-jpeg2000 ImageIO plug-in), WSQ (jnbis), JPEG and PNG (the JDK), raw 8-bit pixels.
 * Also reads facts that need no biometric SDK: the grey-level range and the number of distinct levels
 * (a blank or constant image has one), and for JPEG 2000 whether the codestream is lossless (COD
 * marker: reversible 5-3 wavelet, ISO/IEC 15444-1 Table A.20).
 */
public final class ImageDecoder {
    /** Largest image decoded, in pixels (a 1000 ppi slap is about 3.2 million). */
    static final long MAX_PIXELS = 16L * 1024 * 1024;

    private ImageDecoder() {
    }

    /**
     * What decoding showed. {@code lossless} is null when the codec does not say; {@code colourComponents}
     * is 1 for grey images, 3 for colour.
     */
    public record Decoded(int width, int height, int minLevel, int maxLevel, int distinctLevels, Boolean lossless,
                          long decodeNanos, int colourComponents) {
        public int dynamicRange() {
            return maxLevel - minLevel;
        }
    }

    public static Decoded decode(IsoRecord r) throws IsoFormatException {
        long start = System.nanoTime();
        byte[] image = r.image();
        return switch (r.codec()) {
            case RAW -> raw(image, r.width(), r.height(), start);
            case WSQ -> wsq(image, start);
            case JPEG, PNG -> imageIo(image, null, start, null);
            case JPEG2000 -> imageIo(image, "jpeg2000", start, Jpeg2000.lossless(image));
            case BIT_PACKED -> throw new IsoFormatException("declares bit-packed pixels, which the harness does not decode");
            case UNKNOWN -> throw new IsoFormatException("declares image encoding " + r.encoding()
                    + ", which the standard does not define for " + r.modality());
        };
    }

    private static Decoded raw(byte[] image, int width, int height, long start) throws IsoFormatException {
        long expected = (long) width * height;
        if (image.length != expected) {
            throw new IsoFormatException("holds " + image.length + " bytes of uncompressed pixels, but " + width + "x"
                    + height + " 8-bit pixels are " + expected + " bytes");
        }
        int[] levels = new int[256];
        for (byte p : image) {
            levels[p & 0xFF]++;
        }
        return facts(width, height, levels, Boolean.TRUE, start, 1);
    }

    private static Decoded wsq(byte[] image, long start) throws IsoFormatException {
        Bitmap bitmap;
        try {
            bitmap = Jnbis.wsq().decode(image).asBitmap();
        } catch (RuntimeException e) {
            throw new IsoFormatException("holds WSQ data that does not decode (" + e.getClass().getSimpleName() + ")");
        }
        int[] levels = new int[256];
        for (byte p : bitmap.getPixels()) {
            levels[p & 0xFF]++;
        }
        return facts(bitmap.getWidth(), bitmap.getHeight(), levels, Boolean.FALSE, start, 1);
    }

    private static Decoded imageIo(byte[] image, String format, long start, Boolean lossless) throws IsoFormatException {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(image))) {
            Iterator<ImageReader> readers = format == null ? ImageIO.getImageReaders(in) : ImageIO.getImageReadersByFormatName(format);
            if (!readers.hasNext()) {
                throw new IsoFormatException("holds an image no decoder recognises" + (format == null ? "" : " as " + format));
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > MAX_PIXELS) {
                    throw new IsoFormatException("holds a " + reader.getWidth(0) + "x" + reader.getHeight(0)
                            + " image, above the " + MAX_PIXELS + " pixel limit");
                }
                BufferedImage img = reader.read(0);
                return facts(img.getWidth(), img.getHeight(), levels(img), lossless, start,
                        img.getColorModel().getNumColorComponents());
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw new IsoFormatException("holds an image that does not decode" + (format == null ? "" : " as " + format)
                    + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** Grey levels (luma for colour images) as a histogram of 256 bins. */
    private static int[] levels(BufferedImage img) {
        int[] levels = new int[256];
        Raster r = img.getRaster();
        boolean gray = r.getNumBands() == 1;
        int shift = Math.max(0, img.getColorModel().getComponentSize(0) - 8);
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int v;
                if (gray) {
                    v = r.getSample(x, y, 0) >> shift;
                } else {
                    int rgb = img.getRGB(x, y);
                    v = (((rgb >> 16) & 0xFF) * 77 + ((rgb >> 8) & 0xFF) * 150 + (rgb & 0xFF) * 29) >> 8;
                }
                levels[Math.min(255, Math.max(0, v))]++;
            }
        }
        return levels;
    }

    private static Decoded facts(int width, int height, int[] levels, Boolean lossless, long start, int components) {
        int min = -1;
        int max = -1;
        int distinct = 0;
        for (int i = 0; i < 256; i++) {
            if (levels[i] > 0) {
                distinct++;
                max = i;
                if (min < 0) {
                    min = i;
                }
            }
        }
        return new Decoded(width, height, Math.max(min, 0), Math.max(max, 0), distinct, lossless, System.nanoTime() - start,
                components);
    }

    /** Reads the wavelet transform of a JPEG 2000 codestream (raw or inside a JP2 file). */
    static final class Jpeg2000 {
        private Jpeg2000() {
        }

        /** True for the reversible 5-3 wavelet, false for 9-7, null when no COD marker is found. */
        static Boolean lossless(byte[] data) {
            int soc = -1;
            for (int i = 0; i + 3 < data.length; i++) {
                if ((data[i] & 0xFF) == 0xFF && (data[i + 1] & 0xFF) == 0x4F && (data[i + 2] & 0xFF) == 0xFF
                        && (data[i + 3] & 0xFF) == 0x51) {
                    soc = i;
                    break;
                }
            }
            if (soc < 0) {
                return null;
            }
            int p = soc + 2;
            while (p + 4 <= data.length) {
                int marker = ((data[p] & 0xFF) << 8) | (data[p + 1] & 0xFF);
                int length = ((data[p + 2] & 0xFF) << 8) | (data[p + 3] & 0xFF);
                if (marker == 0xFF52) {
                    int transform = p + 2 + 11; // Lcod, Scod, SGcod (4), levels, cb width, cb height, cb style
                    return transform < data.length ? (data[transform] & 0xFF) == 1 : null;
                }
                if (marker == 0xFF90 || length < 2) {
                    return null; // first tile part before any COD: malformed main header
                }
                p += 2 + length;
            }
            return null;
        }
    }
}
