package org.stationtrust.sbi.simulator.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.Locale;
import java.util.Random;
import org.jnbis.api.Jnbis;
import org.jnbis.api.model.Bitmap;
import org.junit.jupiter.api.Test;

/** The WSQ encoder's output decoded by jnbis (a Java port of NIST's NBIS decoder), pixel against pixel. */
class WsqEncoderTest {

    @Test
    void aSyntheticFingerprintDecodesToItsSizeAndCloseToItsPixels() {
        BufferedImage img = SyntheticImages.fingerprint(7);
        byte[] pixels = SyntheticImages.rawGray(img);
        byte[] wsq = WsqEncoder.encode(pixels, img.getWidth(), img.getHeight(), WsqEncoder.DEFAULT_BITRATE);
        byte[] fine = WsqEncoder.encode(pixels, img.getWidth(), img.getHeight(), 2.25);

        Bitmap decoded = Jnbis.wsq().decode(wsq).asBitmap();

        assertEquals(img.getWidth(), decoded.getWidth());
        assertEquals(img.getHeight(), decoded.getHeight());
        double psnr = psnr(pixels, decoded.getPixels());
        double finePsnr = psnr(pixels, Jnbis.wsq().decode(fine).asBitmap().getPixels());
        System.out.printf(Locale.ROOT, "WSQ %dx%d: %.2f bpp %d bytes (%.1f:1) PSNR %.1f dB; 2.25 bpp %d bytes PSNR %.1f dB%n",
                img.getWidth(), img.getHeight(), WsqEncoder.DEFAULT_BITRATE, wsq.length, (double) pixels.length / wsq.length,
                psnr, fine.length, finePsnr);
        // the synthetic ridges repeat every 3-4 pixels, finer than a 500 ppi finger's, so 15:1 costs more here
        assertTrue(psnr > 18, "PSNR " + psnr + " dB at the 15:1 setting");
        assertTrue(finePsnr > psnr + 3, "PSNR " + finePsnr + " dB at 2.25 bpp against " + psnr + " at 0.75");
        assertTrue(wsq.length < pixels.length / 4, "compressed to " + wsq.length + " of " + pixels.length + " bytes");
    }

    @Test
    void aHigherBitRateReconstructsCloserThanALowerOne() {
        byte[] pixels = noisyRidges(128, 160, 3);
        double low = psnr(pixels, Jnbis.wsq().decode(WsqEncoder.encode(pixels, 128, 160, 0.75)).asBitmap().getPixels());
        double high = psnr(pixels, Jnbis.wsq().decode(WsqEncoder.encode(pixels, 128, 160, 4.0)).asBitmap().getPixels());
        assertTrue(high > low + 3, "PSNR " + high + " dB at 4 bpp vs " + low + " dB at 0.75 bpp");
        assertTrue(high > 38, "PSNR at 4 bpp " + high + " dB");
    }

    @Test
    void evenAndOddSizesDecodeToTheirSizeAndPixels() {
        // every odd/even combination takes a different path through the decomposition tree's splits
        for (int[] size : new int[][] {{48, 61}, {80, 100}, {81, 101}, {80, 101}, {255, 97}}) {
            byte[] pixels = ripple(size[0], size[1]);
            Bitmap decoded = Jnbis.wsq().decode(WsqEncoder.encode(pixels, size[0], size[1], 2.25)).asBitmap();
            assertEquals(size[0], decoded.getWidth());
            assertEquals(size[1], decoded.getHeight());
            double psnr = psnr(pixels, decoded.getPixels());
            System.out.printf(Locale.ROOT, "WSQ %dx%d at 2.25 bpp: PSNR %.1f dB%n", size[0], size[1], psnr);
            assertTrue(psnr > 35, "PSNR for " + size[0] + "x" + size[1] + ": " + psnr);
        }
    }

    @Test
    void aConstantImageCodesNoSubbandAndDecodesToTheSameLevel() {
        byte[] pixels = new byte[64 * 64];
        java.util.Arrays.fill(pixels, (byte) 200);
        Bitmap decoded = Jnbis.wsq().decode(WsqEncoder.encode(pixels, 64, 64, 0.75)).asBitmap();
        assertArrayEquals(pixels, decoded.getPixels());
    }

    @Test
    void theCodestreamIsFramedBySoiAndEoiMarkers() {
        byte[] wsq = WsqEncoder.encode(noisyRidges(64, 64, 1), 64, 64, 0.75);
        assertEquals(0xFF, wsq[0] & 0xFF);
        assertEquals(0xA0, wsq[1] & 0xFF);
        assertEquals(0xFF, wsq[wsq.length - 2] & 0xFF);
        assertEquals(0xA1, wsq[wsq.length - 1] & 0xFF);
    }

    /**
     * The codestream's structure read segment by segment as the specification lays it out, without
     * jnbis: SOI; DTT, DQT, SOF (with the image size), DHT; three blocks, each an SOB naming table 0, 1, 1
     * followed by entropy-coded bytes in which every 0xFF is stuffed with 0x00, the second table before
     * the second block; EOI last. Every segment's length field matches its bytes.
     */
    @Test
    void theCodestreamFollowsTheSpecificationsSegmentLayout() {
        byte[] w = WsqEncoder.encode(noisyRidges(96, 80, 5), 96, 80, 0.75);
        java.util.List<String> seen = new java.util.ArrayList<>();
        int p = 0;
        assertEquals(0xFFA0, u16(w, p));
        seen.add("SOI");
        p += 2;
        while (p < w.length) {
            int marker = u16(w, p);
            if (marker == 0xFFA1) {
                seen.add("EOI");
                p += 2;
                break;
            }
            int length = u16(w, p + 2);
            switch (marker) {
                case 0xFFA4 -> {
                    assertEquals(2 + 2 + 6 * 9, length, "DTT: two sizes, 5 + 4 coefficients of 6 bytes");
                    assertEquals(9, w[p + 4] & 0xFF);
                    assertEquals(7, w[p + 5] & 0xFF);
                    seen.add("DTT");
                }
                case 0xFFA5 -> {
                    assertEquals(2 + 3 + 6 * 64, length, "DQT: bin centre and 64 (Q, Z) pairs");
                    seen.add("DQT");
                }
                case 0xFFA2 -> {
                    assertEquals(17, length);
                    assertEquals(80, u16(w, p + 6), "height");
                    assertEquals(96, u16(w, p + 8), "width");
                    seen.add("SOF");
                }
                case 0xFFA6 -> {
                    int codes = 0;
                    for (int i = 0; i < 16; i++) {
                        codes += w[p + 5 + i] & 0xFF;
                    }
                    assertEquals(2 + 1 + 16 + codes, length, "DHT: id, 16 counts, one value per code");
                    seen.add("DHT" + (w[p + 4] & 0xFF));
                }
                case 0xFFA3 -> {
                    assertEquals(3, length);
                    seen.add("SOB" + (w[p + 4] & 0xFF));
                    p += 2 + length;
                    while (!((w[p] & 0xFF) == 0xFF && (w[p + 1] & 0xFF) != 0)) { // entropy-coded data up to a marker
                        if ((w[p] & 0xFF) == 0xFF) {
                            assertEquals(0, w[p + 1], "a data byte 0xFF is followed by a stuffed 0x00");
                            p++;
                        }
                        p++;
                    }
                    continue;
                }
                default -> throw new AssertionError(String.format("unexpected marker 0x%04X at %d", marker, p));
            }
            p += 2 + length;
        }
        assertEquals(w.length, p, "EOI is the last two bytes");
        assertEquals(java.util.List.of("SOI", "DTT", "DQT", "SOF", "DHT0", "SOB0", "DHT1", "SOB1", "SOB1", "EOI"), seen);
    }

    private static int u16(byte[] b, int p) {
        return ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
    }

    @Test
    void tooSmallOrMismatchedImagesAreRefusedWithTheReason() {
        IllegalArgumentException small = assertThrows(IllegalArgumentException.class,
                () -> WsqEncoder.encode(new byte[32 * 32], 32, 32, 0.75));
        assertTrue(small.getMessage().contains("32x32"), small.getMessage());
        assertThrows(IllegalArgumentException.class, () -> WsqEncoder.encode(new byte[64 * 64], 64, 64, 8.0));
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
                () -> WsqEncoder.encode(new byte[10], 64, 64, 0.75));
        assertTrue(count.getMessage().contains("10 pixels"), count.getMessage());
    }

    @Test
    void mirroredIndicesReflectAboutTheEndSamples() {
        assertEquals(1, WsqEncoder.mirror(-1, 5));
        assertEquals(4, WsqEncoder.mirror(-4, 5));
        assertEquals(3, WsqEncoder.mirror(5, 5));
        assertEquals(0, WsqEncoder.mirror(8, 5));
        assertEquals(1, WsqEncoder.mirror(9, 5));
    }

    /** Rings fading out before the border, so that the border has no detail to lose. */
    private static byte[] ripple(int w, int h) {
        byte[] p = new byte[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double r = Math.hypot(x - w / 2.0, y - h / 2.0);
                double v = 128 + 90 * Math.sin(r / 3.0) * Math.exp(-r * r / (w * h / 20.0));
                p[y * w + x] = (byte) Math.max(0, Math.min(255, (int) v));
            }
        }
        return p;
    }

    private static byte[] noisyRidges(int w, int h, long seed) {
        Random r = new Random(seed);
        byte[] p = new byte[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double v = 128 + 90 * Math.sin(Math.hypot(x - w / 2.0, y - h / 2.0) / 2.5) + r.nextGaussian() * 6;
                p[y * w + x] = (byte) Math.max(0, Math.min(255, (int) v));
            }
        }
        return p;
    }

    private static double psnr(byte[] a, byte[] b) {
        double se = 0;
        for (int i = 0; i < a.length; i++) {
            double d = (a[i] & 0xFF) - (b[i] & 0xFF);
            se += d * d;
        }
        double mse = se / a.length;
        return mse == 0 ? 99 : 10 * Math.log10(255 * 255 / mse);
    }
}
