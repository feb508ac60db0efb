package org.stationtrust.sbi.simulator.internal;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * WSQ encoder for 8-bit grey fingerprint images, after the FBI CJIS "WSQ Gray-scale Fingerprint
 * Image Compression Specification" (IAFIS-IC-0110, version 3.1), the codec ISO/IEC 19794-4:2011
 * names compression 2. No maintained Java encoder is published on Maven Central (jnbis decodes only),
 * so the simulator carries this one; the harness and the tests decode its output with jnbis.
 *
 * <p>The steps are the specification's: shift and scale the pixels to about +-128; split the image
 * into 64 subbands (60 coded) with the 9/7 biorthogonal filter pair (lowpass h0, highpass h1, whole
 * sample symmetric extension) along the specification's fixed decomposition tree; choose each
 * subband's bin width from its variance so that the whole image meets the requested bit rate; quantise
 * with a dead zone of 1.2 bins; Huffman-code the quantised values in three blocks (subbands 0-18 with
 * table 0, 19-51 and 52-59 with table 1) using the specification's symbol alphabet (zero runs 1-100,
 * escapes 101-106, values -73..74 as 107-254); and frame it all with the SOI, DTT, DQT, SOF, DHT,
 * SOB and EOI markers.
 */
public final class WsqEncoder {
    /** The bit rate of the specification's usual 15:1 setting (bits per pixel). */
    public static final double DEFAULT_BITRATE = 0.75;

    private static final int SOI = 0xFFA0;
    private static final int EOI = 0xFFA1;
    private static final int SOF = 0xFFA2;
    private static final int SOB = 0xFFA3;
    private static final int DTT = 0xFFA4;
    private static final int DQT = 0xFFA5;
    private static final int DHT = 0xFFA6;

    /** Analysis lowpass h0 (9 taps) and highpass h1 (7 taps), centre tap first; both are symmetric. */
    private static final double[] LOW = {0.852698679009, 0.377402855613, -0.110624404418, -0.023849465020, 0.037828455507};
    private static final double[] HIGH = {0.788485616406, -0.418092273222, -0.040689417609, 0.064538882629};

    private static final int CODED_SUBBANDS = 60;
    private static final int BLOCK_2 = 19;
    private static final int BLOCK_3 = 52;
    private static final double VARIANCE_THRESHOLD = 1.01;
    private static final double BIN_CENTRE = 0.44;
    private static final int MAX_COEFFICIENT = 74;
    private static final int MAX_ZERO_RUN = 100;
    private static final int SYMBOLS = 256;

    private WsqEncoder() {
    }

    /**
     * Encodes {@code pixels} (row by row, one byte each) as a WSQ codestream.
     *
     * @param bitrate target bits per pixel, 0.1-4 (0.75 gives about 15:1; above 4 the finest bins get so
     *                narrow that coefficients no longer fit the specification's 16-bit escapes)
     * @throws IllegalArgumentException for images under 48 pixels on a side (the five-level decomposition
     *                                  would leave one-sample subbands, which decoders reject), over 65535,
     *                                  a pixel count that does not match, or a bit rate outside 0.1-4
     */
    public static byte[] encode(byte[] pixels, int width, int height, double bitrate) {
        if (width < 48 || height < 48 || width > 0xFFFF || height > 0xFFFF) {
            throw new IllegalArgumentException("WSQ needs 48-65535 pixels per side, got " + width + "x" + height);
        }
        if (pixels.length != width * height) {
            throw new IllegalArgumentException(pixels.length + " pixels for a " + width + "x" + height + " image");
        }
        if (!(bitrate >= 0.1 && bitrate <= 4)) {
            throw new IllegalArgumentException("bit rate must be 0.1-4 bits per pixel, was " + bitrate);
        }
        double[] data = new double[pixels.length];
        double[] shiftScale = normalise(pixels, data);
        Tree tree = Tree.of(width, height);
        decompose(data, width, tree);
        double[] variances = variances(data, width, tree.subbands);
        double[] q = binWidths(variances, bitrate);
        fitEscapes(data, width, tree.subbands, q);
        int[][] blocks = quantise(data, width, tree.subbands, q);

        Out out = new Out();
        out.u16(SOI);
        transformTable(out);
        quantisationTable(out, q);
        frameHeader(out, width, height, shiftScale[0], shiftScale[1]);
        Huffman table0 = Huffman.of(List.of(blocks[0]));
        table0.write(out, 0);
        out.u16(SOB).u16(3).u8(0);
        table0.code(out, blocks[0]);
        Huffman table1 = Huffman.of(List.of(blocks[1], blocks[2]));
        table1.write(out, 1);
        out.u16(SOB).u16(3).u8(1);
        table1.code(out, blocks[1]);
        out.u16(SOB).u16(3).u8(1);
        table1.code(out, blocks[2]);
        out.u16(EOI);
        return out.bytes.toByteArray();
    }

    /** Pixels to floats around 0: (p - mean) / r with r = the larger distance of min or max from the mean, / 128. */
    private static double[] normalise(byte[] pixels, double[] data) {
        long sum = 0;
        int low = 255;
        int high = 0;
        for (byte b : pixels) {
            int p = b & 0xFF;
            sum += p;
            low = Math.min(low, p);
            high = Math.max(high, p);
        }
        // The frame header carries the shift and scale as decimal-scaled 16-bit integers; the encoder
        // uses the values the decoder will read back, so both sides agree exactly.
        double mean = scaled((double) sum / pixels.length).value();
        double scale = scaled(Math.max(Math.max(mean - low, high - mean), 1.0) / 128.0).value();
        for (int i = 0; i < pixels.length; i++) {
            data[i] = ((pixels[i] & 0xFF) - mean) / scale;
        }
        return new double[] {mean, scale};
    }

    /** Runs the analysis filters over every node of the decomposition tree, rows then columns. */
    private static void decompose(double[] data, int width, Tree tree) {
        double[] temp = new double[data.length];
        for (Node n : tree.nodes) {
            int base = n.y * width + n.x;
            split(data, base, temp, 0, n.h, n.w, width, 1, n.invertRows);
            split(temp, 0, data, base, n.w, n.h, 1, width, n.invertColumns);
        }
    }

    /**
     * One level of the 1-D transform on {@code lines} lines of {@code length} samples: lowpass
     * outputs centred on even samples, highpass outputs on odd samples, whole-sample symmetric
     * extension at both ends. The low half comes first unless the tree asks for spectral inversion.
     */
    private static void split(double[] src, int srcBase, double[] dst, int dstBase, int lines, int length,
                              int pitch, int stride, boolean inverted) {
        int lowCount = (length + 1) / 2;
        int highCount = length / 2;
        int lowAt = inverted ? highCount : 0;
        int highAt = inverted ? 0 : lowCount;
        for (int line = 0; line < lines; line++) {
            int in = srcBase + line * pitch;
            int out = dstBase + line * pitch;
            for (int k = 0; k < lowCount; k++) {
                double s = LOW[0] * src[in + 2 * k * stride];
                for (int j = 1; j < LOW.length; j++) {
                    s += LOW[j] * (src[in + mirror(2 * k - j, length) * stride] + src[in + mirror(2 * k + j, length) * stride]);
                }
                dst[out + (lowAt + k) * stride] = s;
            }
            for (int k = 0; k < highCount; k++) {
                int c = 2 * k + 1;
                double s = HIGH[0] * src[in + c * stride];
                for (int j = 1; j < HIGH.length; j++) {
                    s += HIGH[j] * (src[in + mirror(c - j, length) * stride] + src[in + mirror(c + j, length) * stride]);
                }
                dst[out + (highAt + k) * stride] = s;
            }
        }
    }

    /** Index into a line extended by whole-sample symmetry (x[-i] = x[i], x[n-1+i] = x[n-1-i]). */
    static int mirror(int i, int length) {
        int period = 2 * (length - 1);
        int m = Math.floorMod(i, period);
        return m < length ? m : period - m;
    }

    /**
     * Subband variances. The specification measures them on a central window (3/4 of the width from
     * 1/8 in, 7/16 of the height from 9/32 down), except that when the four lowest subbands together
     * vary less than 20000 every subband is measured whole. A window of under two samples (subbands of
     * small images) is replaced by the whole subband.
     */
    private static double[] variances(double[] data, int width, Rect[] subbands) {
        double[] v = new double[CODED_SUBBANDS];
        double lowSum = 0;
        for (int s = 0; s < 4; s++) {
            v[s] = variance(data, width, subbands[s], true);
            lowSum += v[s];
        }
        boolean whole = lowSum < 20000.0;
        for (int s = whole ? 0 : 4; s < CODED_SUBBANDS; s++) {
            v[s] = variance(data, width, subbands[s], !whole);
        }
        return v;
    }

    private static double variance(double[] data, int width, Rect r, boolean window) {
        int x = r.x;
        int y = r.y;
        int w = r.w;
        int h = r.h;
        if (window && (3 * r.w) / 4 * ((7 * r.h) / 16) >= 2) {
            x += r.w / 8;
            y += (9 * r.h) / 32;
            w = (3 * r.w) / 4;
            h = (7 * r.h) / 16;
        }
        long n = (long) w * h;
        if (n < 2) {
            return 0;
        }
        double sum = 0;
        double squares = 0;
        for (int row = 0; row < h; row++) {
            for (int col = 0; col < w; col++) {
                double p = data[(y + row) * width + x + col];
                sum += p;
                squares += p * p;
            }
        }
        return (squares - sum * sum / n) / (n - 1.0);
    }

    /**
     * Bin widths Q per subband for the bit rate (the specification's bit allocation): subbands below
     * the variance threshold are not coded (Q = 0); the others get Q = q'/q with q' = 1 for the four
     * lowest and 10 / (A log variance) above, where q is solved so that the subbands' rates add up to
     * the target, dropping subbands whose rate would not be positive until none is left to drop.
     */
    static double[] binWidths(double[] variance, double bitrate) {
        double[] weight = new double[CODED_SUBBANDS];
        Arrays.fill(weight, 1.0);
        double[] a = {1.32, 1.08, 1.42, 1.08, 1.32, 1.42, 1.08, 1.08};
        System.arraycopy(a, 0, weight, BLOCK_3, a.length);
        double[] share = new double[CODED_SUBBANDS]; // 1/m in the specification: the subband's share of the pixels
        double[] qPrime = new double[CODED_SUBBANDS];
        double[] sigma = new double[CODED_SUBBANDS];
        List<Integer> coded = new ArrayList<>();
        for (int s = 0; s < CODED_SUBBANDS; s++) {
            share[s] = s < 4 ? 1.0 / 1024 : s < 51 ? 1.0 / 256 : 1.0 / 16;
            if (variance[s] >= VARIANCE_THRESHOLD) {
                qPrime[s] = s < 4 ? 1.0 : 10.0 / (weight[s] * Math.log(variance[s]));
                sigma[s] = Math.sqrt(variance[s]);
                coded.add(s);
            }
        }
        List<Integer> k = new ArrayList<>(coded);
        double q = 1.0;
        while (!k.isEmpty()) {
            double sShare = 0;
            double logProduct = 0;
            for (int s : k) {
                sShare += share[s];
                logProduct += share[s] * Math.log(sigma[s] / qPrime[s]);
            }
            final double qNow = Math.pow(2, bitrate / sShare - 1.0) / 2.5 / Math.exp(logProduct / sShare);
            List<Integer> next = k.stream().filter(s -> qPrime[s] / qNow < 5.0 * sigma[s]).toList();
            q = qNow;
            if (next.size() == k.size()) {
                break;
            }
            k = next;
        }
        double[] bins = new double[64];
        for (int s : coded) {
            bins[s] = scaled(qPrime[s] / q).value();
        }
        return bins;
    }

    /**
     * Widens a bin where the allocation would give a coefficient beyond the largest escape (16 bits).
     * It happens with smooth images: a subband whose variance only just passes the threshold gets a
     * huge q' = 10 / (A log variance), which drags q up and the low subbands' bins down to nothing.
     */
    private static void fitEscapes(double[] data, int width, Rect[] subbands, double[] q) {
        for (int s = 0; s < CODED_SUBBANDS; s++) {
            if (q[s] == 0.0) {
                continue;
            }
            double max = 0;
            Rect r = subbands[s];
            for (int row = 0; row < r.h; row++) {
                for (int col = 0; col < r.w; col++) {
                    max = Math.max(max, Math.abs(data[(r.y + row) * width + r.x + col]));
                }
            }
            if (max / q[s] + 1 > 65000) {
                q[s] = scaled(max / 64000).value();
            }
        }
    }

    /** Quantised values of the coded subbands, in subband order, split into the three blocks. */
    private static int[][] quantise(double[] data, int width, Rect[] subbands, double[] q) {
        int[][] blocks = new int[3][];
        int[] bounds = {0, BLOCK_2, BLOCK_3, CODED_SUBBANDS};
        for (int b = 0; b < 3; b++) {
            int[] values = new int[data.length];
            int n = 0;
            for (int s = bounds[b]; s < bounds[b + 1]; s++) {
                if (q[s] == 0.0) {
                    continue;
                }
                double zero = scaled(1.2 * q[s]).value() / 2.0;
                Rect r = subbands[s];
                for (int row = 0; row < r.h; row++) {
                    for (int col = 0; col < r.w; col++) {
                        double p = data[(r.y + row) * width + r.x + col];
                        values[n++] = Math.abs(p) <= zero ? 0
                                : p > 0 ? (int) ((p - zero) / q[s] + 1.0) : (int) ((p + zero) / q[s] - 1.0);
                    }
                }
            }
            blocks[b] = Arrays.copyOf(values, n);
        }
        return blocks;
    }

    /** DTT: the analysis filters, half of each (centre first), as sign, decimal scale, 32-bit magnitude. */
    private static void transformTable(Out out) {
        out.u16(DTT).u16(2 + 2 + 6 * (LOW.length + HIGH.length)).u8(2 * LOW.length - 1).u8(2 * HIGH.length - 1);
        for (double[] filter : new double[][] {LOW, HIGH}) {
            for (double c : filter) {
                out.u8(c < 0 ? 1 : 0).u8(9).u32(Math.round(Math.abs(c) * 1e9));
            }
        }
    }

    /** DQT: bin centre C, then Q and Z (= 1.2 Q) for all 64 subbands (the last four are never coded). */
    private static void quantisationTable(Out out, double[] q) {
        out.u16(DQT).u16(2 + 3 + 6 * 64);
        scaled(BIN_CENTRE).write(out);
        for (double bin : q) {
            scaled(bin).write(out);
            scaled(bin == 0 ? 0 : scaled(1.2 * bin).value()).write(out);
        }
    }

    private static void frameHeader(Out out, int width, int height, double shift, double scale) {
        out.u16(SOF).u16(17).u8(0).u8(255).u16(height).u16(width);
        scaled(shift).write(out);
        scaled(scale).write(out);
        out.u8(2).u16(0); // encoder number 2 (version 2 and later encoders), software implementation 0
    }

    /** A non-negative real stored as a 16-bit integer and a power of ten: value = integer / 10^scale. */
    record Scaled(int scale, int integer) {
        double value() {
            return integer / Math.pow(10, scale);
        }

        void write(Out out) {
            out.u8(scale).u16(integer);
        }
    }

    /** The most precise {@link Scaled} form of {@code v} (the largest scale whose integer fits 16 bits). */
    static Scaled scaled(double v) {
        if (v <= 0) {
            return new Scaled(0, 0);
        }
        int scale = 0;
        double x = v;
        while (Math.round(x * 10) < 0xFFFF && scale < 20) {
            x *= 10;
            scale++;
        }
        while (Math.round(x) > 0xFFFF && scale > 0) {
            x /= 10;
            scale--;
        }
        return new Scaled(scale, (int) Math.min(0xFFFF, Math.round(x)));
    }

    /** A Huffman table built from symbol counts (ISO/IEC 10918-1 Annex K.2, as the specification adopts it). */
    private static final class Huffman {
        private final int[] bits = new int[17];
        private final int[] values;
        private final int[] codes = new int[SYMBOLS];
        private final int[] sizes = new int[SYMBOLS];

        private Huffman(int[] codeSize) {
            List<Integer> used = new ArrayList<>();
            for (int v = 0; v <= SYMBOLS; v++) {
                if (codeSize[v] > 0) {
                    used.add(v);
                }
            }
            int[] count = new int[SYMBOLS + 2];
            for (int v : used) {
                count[codeSize[v]]++;
            }
            limit(count);
            // the reserved symbol (256) has the largest code size and sorts last; its code is dropped
            used.sort(Comparator.<Integer>comparingInt(v -> codeSize[v]).thenComparingInt(v -> v));
            used.remove(used.size() - 1);
            values = used.stream().mapToInt(Integer::intValue).toArray();
            System.arraycopy(count, 1, bits, 1, 16);
            int code = 0;
            int p = 0;
            for (int len = 1; len <= 16; len++) {
                for (int i = 0; i < bits[len]; i++) {
                    codes[values[p]] = code++;
                    sizes[values[p]] = len;
                    p++;
                }
                code <<= 1;
            }
        }

        static Huffman of(List<int[]> blocks) {
            long[] freq = new long[SYMBOLS + 1];
            freq[SYMBOLS] = 1; // reserves one code so that no code word is all ones
            for (int[] block : blocks) {
                forEachSymbol(block, (symbol, extra, extraBits) -> freq[symbol]++);
            }
            return new Huffman(codeSizes(freq));
        }

        /** Annex K figure K.1: code sizes by repeatedly merging the two least frequent trees. */
        private static int[] codeSizes(long[] freqIn) {
            long[] freq = freqIn.clone();
            int[] size = new int[SYMBOLS + 1];
            int[] others = new int[SYMBOLS + 1];
            Arrays.fill(others, -1);
            while (true) {
                int v1 = least(freq, -1);
                int v2 = least(freq, v1);
                if (v2 < 0) {
                    size[v1] = Math.max(size[v1], 1); // a single symbol still needs a one-bit code
                    return size;
                }
                freq[v1] += freq[v2];
                freq[v2] = 0;
                size[v1]++;
                int v = v1;
                while (others[v] >= 0) {
                    v = others[v];
                    size[v]++;
                }
                others[v] = v2;
                v = v2;
                size[v]++;
                while (others[v] >= 0) {
                    v = others[v];
                    size[v]++;
                }
            }
        }

        private static int least(long[] freq, int except) {
            int best = -1;
            for (int v = 0; v < freq.length; v++) {
                if (v != except && freq[v] > 0 && (best < 0 || freq[v] <= freq[best])) {
                    best = v;
                }
            }
            return best;
        }

        /** Annex K figure K.3: no code longer than 16 bits, then the reserved code word removed. */
        private static void limit(int[] count) {
            for (int i = count.length - 1; i > 16; i--) {
                while (count[i] > 0) {
                    int j = i - 2;
                    while (count[j] == 0) {
                        j--;
                    }
                    count[i] -= 2;
                    count[i - 1]++;
                    count[j + 1] += 2;
                    count[j]--;
                }
            }
            int i = 16;
            while (count[i] == 0) {
                i--;
            }
            count[i]--;
        }

        /** DHT: table id, the number of codes of each length 1-16, the symbols by code length. */
        void write(Out out, int id) {
            out.u16(DHT).u16(2 + 1 + 16 + values.length).u8(id);
            for (int len = 1; len <= 16; len++) {
                out.u8(bits[len]);
            }
            for (int v : values) {
                out.u8(v);
            }
        }

        /** Entropy-coded data of one block, padded with one bits to a byte. */
        void code(Out out, int[] block) {
            BitWriter w = new BitWriter(out);
            forEachSymbol(block, (symbol, extra, extraBits) -> {
                w.put(codes[symbol], sizes[symbol]);
                if (extraBits > 0) {
                    w.put(extra, extraBits);
                }
            });
            w.flush();
        }
    }

    private interface SymbolSink {
        void accept(int symbol, int extra, int extraBits);
    }

    /** The specification's symbols for a run of quantised values: zero runs, coefficients and escapes. */
    private static void forEachSymbol(int[] block, SymbolSink sink) {
        int run = 0;
        for (int v : block) {
            if (v == 0 && run < 0xFFFF) {
                run++;
                continue;
            }
            if (run > 0) {
                zeroRun(run, sink);
                run = 0;
            }
            if (v == 0) {
                run = 1;
            } else {
                coefficient(v, sink);
            }
        }
        if (run > 0) {
            zeroRun(run, sink);
        }
    }

    private static void zeroRun(int run, SymbolSink sink) {
        if (run <= MAX_ZERO_RUN) {
            sink.accept(run, 0, 0);
        } else if (run <= 0xFF) {
            sink.accept(105, run, 8);
        } else {
            sink.accept(106, run, 16);
        }
    }

    private static void coefficient(int v, SymbolSink sink) {
        if (v > MAX_COEFFICIENT) {
            if (v > 0xFF) {
                sink.accept(103, Math.min(v, 0xFFFF), 16);
            } else {
                sink.accept(101, v, 8);
            }
        } else if (v < 1 - MAX_COEFFICIENT) {
            if (-v > 0xFF) {
                sink.accept(104, Math.min(-v, 0xFFFF), 16);
            } else {
                sink.accept(102, -v, 8);
            }
        } else {
            sink.accept(v + 180, 0, 0);
        }
    }

    /** Bits most significant first; a 0xFF byte is followed by a stuffed 0x00 so it is not read as a marker. */
    private static final class BitWriter {
        private final Out out;
        private int current;
        private int filled;

        BitWriter(Out out) {
            this.out = out;
        }

        void put(int value, int count) {
            for (int i = count - 1; i >= 0; i--) {
                current = (current << 1) | ((value >>> i) & 1);
                if (++filled == 8) {
                    emit();
                }
            }
        }

        void flush() {
            while (filled != 0) {
                put(1, 1);
            }
        }

        private void emit() {
            out.u8(current);
            if (current == 0xFF) {
                out.u8(0);
            }
            current = 0;
            filled = 0;
        }
    }

    private static final class Out {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        Out u8(int v) {
            bytes.write(v & 0xFF);
            return this;
        }

        Out u16(int v) {
            return u8(v >>> 8).u8(v);
        }

        Out u32(long v) {
            return u16((int) (v >>> 16)).u16((int) (v & 0xFFFF));
        }
    }

    private record Rect(int x, int y, int w, int h) {
    }

    private record Node(int x, int y, int w, int h, boolean invertRows, boolean invertColumns) {
    }

    /**
     * The specification's decomposition: 20 split nodes (W-tree) and the 64 subbands they produce
     * (Q-tree), sized for the image; odd lengths give the extra sample to the low half, except in the
     * nodes and subbands the specification inverts.
     */
    private static final class Tree {
        final Node[] nodes = new Node[20];
        final Rect[] subbands = new Rect[64];

        static Tree of(int width, int height) {
            Tree t = new Tree();
            Rect[] w = new Rect[20];
            four(w, 0, 1, new Rect(0, 0, width, height), true);
            int lx = (w[1].w + 1) / 2;
            int lx2 = w[1].w / 2;
            int ly = (w[1].h + 1) / 2;
            int ly2 = w[1].h / 2;
            four(w, 4, 6, new Rect(lx, 0, lx2, ly), false);
            four(w, 5, 10, new Rect(0, ly, lx, ly2), false);
            four(w, 14, 15, new Rect(0, 0, lx, ly), false);
            w[19] = new Rect(0, 0, (w[15].w + 1) / 2, (w[15].h + 1) / 2);
            List<Integer> rows = List.of(2, 4, 7, 9, 11, 13, 16, 18);
            List<Integer> cols = List.of(3, 5, 8, 9, 12, 13, 17, 18);
            for (int i = 0; i < 20; i++) {
                t.nodes[i] = new Node(w[i].x, w[i].y, w[i].w, w[i].h, rows.contains(i), cols.contains(i));
            }
            sixteen(t.subbands, 3, w[14], false, false);
            sixteen(t.subbands, 19, w[4], false, true);
            sixteen(t.subbands, 48, w[0], false, false);
            sixteen(t.subbands, 35, w[5], true, false);
            quarters(t.subbands, 0, w[19]);
            return t;
        }

        /** Node {@code parent} = r and its four quarters from {@code first} (three when {@code noFourth}). */
        private static void four(Rect[] w, int parent, int first, Rect r, boolean noFourth) {
            w[parent] = r;
            int a;
            int b;
            if (r.w % 2 == 0) {
                a = r.w / 2;
                b = a;
            } else if (parent == 4) {
                a = (r.w - 1) / 2;
                b = a + 1;
            } else {
                a = (r.w + 1) / 2;
                b = a - 1;
            }
            int c;
            int d;
            if (r.h % 2 == 0) {
                c = r.h / 2;
                d = c;
            } else if (parent == 5) {
                c = (r.h - 1) / 2;
                d = c + 1;
            } else {
                c = (r.h + 1) / 2;
                d = c - 1;
            }
            w[first] = new Rect(r.x, r.y, a, c);
            w[first + 1] = new Rect(r.x + a, r.y, b, c);
            w[first + 2] = new Rect(r.x, r.y + c, a, d);
            if (!noFourth) {
                w[first + 3] = new Rect(r.x + a, r.y + c, b, d);
            }
        }

        /** Four subbands from {@code p}: a 2x2 split of r, the larger half first on odd lengths. */
        private static void quarters(Rect[] q, int p, Rect r) {
            int a = (r.w + 1) / 2;
            int b = r.w / 2;
            int c = (r.h + 1) / 2;
            int d = r.h / 2;
            q[p] = new Rect(r.x, r.y, a, c);
            q[p + 1] = new Rect(r.x + a, r.y, b, c);
            q[p + 2] = new Rect(r.x, r.y + c, a, d);
            q[p + 3] = new Rect(r.x + a, r.y + c, b, d);
        }

        /**
         * Sixteen subbands from {@code p}: r split 2x2 (inverted along rows or columns as given), then
         * each quarter split 2x2 again, in the order top-left, top-right, bottom-left, bottom-right.
         */
        private static void sixteen(Rect[] q, int p, Rect r, boolean invRows, boolean invCols) {
            int tx;
            int tx2;
            if (r.w % 2 == 0) {
                tx = r.w / 2;
                tx2 = tx;
            } else if (invCols) {
                tx2 = (r.w + 1) / 2;
                tx = tx2 - 1;
            } else {
                tx = (r.w + 1) / 2;
                tx2 = tx - 1;
            }
            int ty;
            int ty2;
            if (r.h % 2 == 0) {
                ty = r.h / 2;
                ty2 = ty;
            } else if (invRows) {
                ty2 = (r.h + 1) / 2;
                ty = ty2 - 1;
            } else {
                ty = (r.h + 1) / 2;
                ty2 = ty - 1;
            }
            quartersOrdered(q, p, new Rect(r.x, r.y, tx, ty), false, false);
            quartersOrdered(q, p + 4, new Rect(r.x + tx, r.y, tx2, ty), true, false);
            quartersOrdered(q, p + 8, new Rect(r.x, r.y + ty, tx, ty2), false, true);
            quartersOrdered(q, p + 12, new Rect(r.x + tx, r.y + ty, tx2, ty2), true, true);
        }

        /**
         * A 2x2 split where an odd length gives its extra sample to the second half when that half was
         * itself a high band ({@code secondX}/{@code secondY}), as the specification's Q-tree lays out.
         */
        private static void quartersOrdered(Rect[] q, int p, Rect r, boolean secondX, boolean secondY) {
            int a = secondX && r.w % 2 != 0 ? r.w / 2 : (r.w + 1) / 2;
            int b = r.w - a;
            int c = secondY && r.h % 2 != 0 ? r.h / 2 : (r.h + 1) / 2;
            int d = r.h - c;
            q[p] = new Rect(r.x, r.y, a, c);
            q[p + 1] = new Rect(r.x + a, r.y, b, c);
            q[p + 2] = new Rect(r.x, r.y + c, a, d);
            q[p + 3] = new Rect(r.x + a, r.y + c, b, d);
        }
    }
}
