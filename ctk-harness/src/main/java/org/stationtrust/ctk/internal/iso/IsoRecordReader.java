package org.stationtrust.ctk.internal.iso;

import java.nio.ByteBuffer;
import java.nio.BufferUnderflowException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an ISO/IEC 19794-4:2011 (finger), 19794-6:2011 (iris) or 19794-5:2011 (face) record field
 * by field, as the standards lay them out (big-endian). Every declared length is bounded by the bytes
 * that arrived before anything is read, so a hostile record can only produce an exception with a reason.
 */
public final class IsoRecordReader {
    /** Largest record read (a 1000 ppi uncompressed slap finger is about 2 MB). */
    public static final int MAX_RECORD = 16 * 1024 * 1024;

    private IsoRecordReader() {
    }

    public static IsoRecord read(byte[] record, String modality) throws IsoFormatException {
        if (record.length > MAX_RECORD) {
            throw new IsoFormatException("is " + record.length + " bytes, above the " + MAX_RECORD + " byte limit");
        }
        try {
            return switch (modality) {
                case "Finger" -> finger(ByteBuffer.wrap(record), record.length);
                case "Iris" -> iris(ByteBuffer.wrap(record), record.length);
                case "Face" -> face(ByteBuffer.wrap(record), record.length);
                default -> throw new IsoFormatException("has unknown bioType '" + modality + "'");
            };
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new IsoFormatException("ends before its last field (" + record.length + " bytes): truncated record");
        }
    }

    private record Header(int representations, int certificationFlag, long recordLength, int temporalSemantics,
                          int positions) {
    }

    private static Header general(ByteBuffer b, int size, String id, String version, String standard, boolean face)
            throws IsoFormatException {
        expectText(b, id, "format identifier", standard);
        expectText(b, version, "version", standard);
        long length = Integer.toUnsignedLong(b.getInt());
        if (length != size) {
            throw new IsoFormatException("record length field says " + length + " bytes but " + size + " arrived");
        }
        int reps = Short.toUnsignedInt(b.getShort());
        int cert = Byte.toUnsignedInt(b.get());
        int temporal = -1;
        int positions = -1;
        if (face) {
            temporal = Short.toUnsignedInt(b.getShort());
        } else {
            positions = Byte.toUnsignedInt(b.get()); // number of fingers / eyes
        }
        if (reps < 1) {
            throw new IsoFormatException("declares no representation");
        }
        if (cert > 1) {
            throw new IsoFormatException("certification flag is " + cert + ", expected 0 or 1");
        }
        return new Header(reps, cert, length, temporal, positions);
    }

    private static void expectText(ByteBuffer b, String expected, String field, String standard) throws IsoFormatException {
        byte[] got = new byte[4];
        b.get(got);
        byte[] want = (expected + "\0").getBytes(StandardCharsets.US_ASCII);
        if (!java.util.Arrays.equals(got, want)) {
            throw new IsoFormatException(field + " is '" + printable(got) + "', expected '" + expected + "\\0' (" + standard + ")");
        }
    }

    /** Representation length, capture time, technology, vendor, device type, quality and certification blocks. */
    private record Common(long length, int[] time, int technology, List<Integer> qualities, int vendor, int deviceType,
                          List<IsoRecord.QualityBlock> blocks, int present) {
        IsoRecord.Capture capture(int representationNumber) {
            return new IsoRecord.Capture(vendor, deviceType, blocks, representationNumber, present);
        }
    }

    private static Common common(ByteBuffer b, Header h) throws IsoFormatException {
        int start = b.position();
        long length = Integer.toUnsignedLong(b.getInt());
        if (length < 4 || length > b.limit() - start) {
            throw new IsoFormatException("representation length " + length + " does not fit the " + (b.limit() - start)
                    + " bytes after the general header");
        }
        if (h.representations() == 1 && length != b.limit() - start) {
            throw new IsoFormatException("the single representation is " + length + " bytes but " + (b.limit() - start)
                    + " follow the general header");
        }
        int[] time = {Short.toUnsignedInt(b.getShort()), Byte.toUnsignedInt(b.get()), Byte.toUnsignedInt(b.get()),
                Byte.toUnsignedInt(b.get()), Byte.toUnsignedInt(b.get()), Byte.toUnsignedInt(b.get()),
                Short.toUnsignedInt(b.getShort())};
        int technology = Byte.toUnsignedInt(b.get());
        int vendor = Short.toUnsignedInt(b.getShort());
        int deviceType = Short.toUnsignedInt(b.getShort());
        int blocks = Byte.toUnsignedInt(b.get());
        List<Integer> qualities = new ArrayList<>();
        List<IsoRecord.QualityBlock> qualityBlocks = new ArrayList<>();
        for (int i = 0; i < blocks; i++) {
            int score = Byte.toUnsignedInt(b.get());
            qualities.add(score);
            qualityBlocks.add(new IsoRecord.QualityBlock(score, Short.toUnsignedInt(b.getShort()),
                    Short.toUnsignedInt(b.getShort())));
        }
        if (h.certificationFlag() == 1) {
            int certs = Byte.toUnsignedInt(b.get());
            b.position(b.position() + 3 * certs);
        }
        return new Common(length, time, technology, qualities, vendor, deviceType, qualityBlocks, h.positions());
    }

    private static byte[] image(ByteBuffer b, String what) throws IsoFormatException {
        long length = Integer.toUnsignedLong(b.getInt());
        if (length == 0 || length > b.remaining()) {
            throw new IsoFormatException(what + " image length " + length + " does not fit the " + b.remaining()
                    + " bytes left in the record");
        }
        byte[] image = new byte[(int) length];
        b.get(image);
        return image;
    }

    private static IsoRecord finger(ByteBuffer b, int size) throws IsoFormatException {
        Header h = general(b, size, "FIR", "020", "ISO/IEC 19794-4:2011", false);
        Common c = common(b, h);
        int position = Byte.toUnsignedInt(b.get());
        int representationNumber = Byte.toUnsignedInt(b.get());
        int scale = Byte.toUnsignedInt(b.get());
        List<Integer> rates = List.of(Short.toUnsignedInt(b.getShort()), Short.toUnsignedInt(b.getShort()),
                Short.toUnsignedInt(b.getShort()), Short.toUnsignedInt(b.getShort()));
        int depth = Byte.toUnsignedInt(b.get());
        int compression = Byte.toUnsignedInt(b.get());
        int impression = Byte.toUnsignedInt(b.get());
        int width = Short.toUnsignedInt(b.getShort());
        int height = Short.toUnsignedInt(b.getShort());
        byte[] image = image(b, "finger");
        return new IsoRecord("Finger", h.representations(), h.certificationFlag(), h.recordLength(), c.length(), c.time(),
                c.technology(), c.qualities(), position, -1, compression, -1, width, height, depth, rates, scale,
                impression, image, c.capture(representationNumber), null, null);
    }

    private static IsoRecord iris(ByteBuffer b, int size) throws IsoFormatException {
        Header h = general(b, size, "IIR", "020", "ISO/IEC 19794-6:2011", false);
        Common c = common(b, h);
        int representationNumber = Short.toUnsignedInt(b.getShort());
        int eye = Byte.toUnsignedInt(b.get());
        int type = Byte.toUnsignedInt(b.get());
        int format = Byte.toUnsignedInt(b.get());
        int properties = Byte.toUnsignedInt(b.get());
        int width = Short.toUnsignedInt(b.getShort());
        int height = Short.toUnsignedInt(b.getShort());
        int depth = Byte.toUnsignedInt(b.get());
        b.position(b.position() + 2 + 2 + 2 + 8 + 4); // range, roll angle and uncertainty, centre, diameters
        byte[] image = image(b, "iris");
        return new IsoRecord("Iris", h.representations(), h.certificationFlag(), h.recordLength(), c.length(), c.time(),
                c.technology(), c.qualities(), eye, type, format, (properties >> 4) & 0x3, width, height, depth,
                List.of(), -1, -1, image, c.capture(representationNumber), null,
                new IsoRecord.IrisInfo(properties & 0x3, (properties >> 2) & 0x3));
    }

    private static IsoRecord face(ByteBuffer b, int size) throws IsoFormatException {
        Header h = general(b, size, "FAC", "030", "ISO/IEC 19794-5:2011", true);
        Common c = common(b, h);
        int count = Short.toUnsignedInt(b.getShort());
        int gender = Byte.toUnsignedInt(b.get());
        int eyes = Byte.toUnsignedInt(b.get());
        int hair = Byte.toUnsignedInt(b.get());
        b.get(); // subject height
        b.position(b.position() + 3 + 2 + 3 + 3); // property mask, expression, pose angle, pose uncertainty
        if (count > b.remaining() / 8) {
            throw new IsoFormatException("declares " + count + " landmark points, more than the " + b.remaining()
                    + " bytes left hold");
        }
        List<IsoRecord.Landmark> landmarks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            landmarks.add(new IsoRecord.Landmark(Byte.toUnsignedInt(b.get()), Byte.toUnsignedInt(b.get()),
                    Short.toUnsignedInt(b.getShort()), Short.toUnsignedInt(b.getShort()), Short.toUnsignedInt(b.getShort())));
        }
        int faceType = Byte.toUnsignedInt(b.get());
        int dataType = Byte.toUnsignedInt(b.get());
        int width = Short.toUnsignedInt(b.getShort());
        int height = Short.toUnsignedInt(b.getShort());
        int sampling = Byte.toUnsignedInt(b.get());
        b.position(b.position() + 2 + 1); // post-acquisition processing, cross reference
        int colourSpace = Byte.toUnsignedInt(b.get());
        byte[] image = image(b, "face");
        IsoRecord.FaceInfo face = new IsoRecord.FaceInfo(h.temporalSemantics(), gender, eyes, hair, landmarks, sampling,
                colourSpace);
        return new IsoRecord("Face", h.representations(), h.certificationFlag(), h.recordLength(), c.length(), c.time(),
                c.technology(), c.qualities(), -1, faceType, dataType, -1, width, height, -1, List.of(), -1, -1, image,
                c.capture(-1), face, null);
    }

    private static String printable(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) {
            s.append(x >= 32 && x < 127 ? String.valueOf((char) x) : String.format("\\x%02x", x));
        }
        return s.toString();
    }
}
