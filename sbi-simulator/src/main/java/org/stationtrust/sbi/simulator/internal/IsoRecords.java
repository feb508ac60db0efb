package org.stationtrust.sbi.simulator.internal;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * ISO/IEC 19794 biometric data interchange records, 2011 editions as MOSIP uses them: one
 * representation per record, big-endian, with one quality block carrying the capture quality.
 * Layouts (byte counts) are written out in each method so a reader can check them.
 */
public final class IsoRecords {
    /** ISO/IEC 19794-4:2011 finger position codes. */
    public static final int FINGER_UNKNOWN = 0;

    private IsoRecords() {
    }

    /**
     * ISO/IEC 19794-4:2011 finger image record: general header (16) "FIR\0" "020\0" length(4)
     * representations(2)=1 certificationFlag(1)=0 positions(1)=1; representation header (41 + 5 per
     * quality block) and uncompressed 8-bit pixels (compression 0).
     */
    public static byte[] finger(int fingerPosition, int quality, Instant captured, byte[] rawPixels, int width, int height) {
        return finger(fingerPosition, quality, captured, rawPixels, width, height, 0);
    }

    /**
     * The same record with {@code image} compressed as ISO/IEC 19794-4:2011 Table 2 {@code compression}
     * says (0 uncompressed, 2 WSQ, 4 JPEG 2000 lossy, 5 JPEG 2000 lossless).
     */
    public static byte[] finger(int fingerPosition, int quality, Instant captured, byte[] image, int width, int height,
                                int compression) {
        byte[] rawPixels = image;
        int repLength = 4 + 9 + 1 + 2 + 2 + 1 + 5 + 1 + 1 + 1 + 2 + 2 + 2 + 2 + 1 + 1 + 1 + 2 + 2 + 4 + rawPixels.length;
        return write(out -> {
            out.writeBytes("FIR\0");
            out.writeBytes("020\0");
            out.writeInt(16 + repLength);
            out.writeShort(1);
            out.writeByte(0);
            out.writeByte(1);
            // representation header
            out.writeInt(repLength);
            captureDateTime(out, captured);
            out.writeByte(0);          // capture device technology: unknown
            out.writeShort(0);         // vendor id: unreported
            out.writeShort(0);         // device type id: unreported
            qualityBlock(out, quality);
            out.writeByte(fingerPosition);
            out.writeByte(0);          // representation number
            out.writeByte(1);          // scale units: pixels per inch
            out.writeShort(500);       // capture device horizontal sampling rate
            out.writeShort(500);       // capture device vertical sampling rate
            out.writeShort(500);       // image horizontal sampling rate
            out.writeShort(500);       // image vertical sampling rate
            out.writeByte(8);          // bit depth
            out.writeByte(compression); // compression (0: uncompressed, no bit packing)
            out.writeByte(0);          // impression: live-scan plain
            out.writeShort(width);
            out.writeShort(height);
            out.writeInt(rawPixels.length);
            out.write(rawPixels);
        });
    }

    /**
     * ISO/IEC 19794-6:2011 iris image record: general header (16) "IIR\0" "020\0" length(4)
     * representations(2)=1 certificationFlag(1)=0 eyes(1)=1; representation header (4+9+1+2+2+1+5
     * +2 representation number +27 image information) then image length(4) and MONO_RAW pixels.
     *
     * @param eyeLabel 0 unspecified, 1 right eye, 2 left eye
     */
    public static byte[] iris(int eyeLabel, int quality, Instant captured, byte[] rawPixels, int width, int height) {
        return iris(eyeLabel, quality, captured, rawPixels, width, height, 7, 2, 0);
    }

    /**
     * The same record with an explicit image type (3 cropped, 7 cropped and masked), image format
     * (2 MONO_RAW, 0x0A MONO_JPEG2000) and compression history (0 undefined, 1 lossless or none, 2 lossy).
     */
    public static byte[] iris(int eyeLabel, int quality, Instant captured, byte[] rawPixels, int width, int height,
                              int imageType, int imageFormat, int compressionHistory) {
        int repLength = 4 + 9 + 1 + 2 + 2 + 1 + 5 + 2 + 27 + 4 + rawPixels.length;
        return write(out -> {
            out.writeBytes("IIR\0");
            out.writeBytes("020\0");
            out.writeInt(16 + repLength);
            out.writeShort(1);
            out.writeByte(0);
            out.writeByte(1);
            out.writeInt(repLength);
            captureDateTime(out, captured);
            out.writeByte(0);
            out.writeShort(0);
            out.writeShort(0);
            qualityBlock(out, quality);
            out.writeShort(1);         // representation number
            // image information (27)
            out.writeByte(eyeLabel);
            out.writeByte(imageType);
            out.writeByte(imageFormat);
            out.writeByte(compressionHistory << 4); // properties: orientation undefined (bits 0-3), compression history (bits 4-5)
            out.writeShort(width);
            out.writeShort(height);
            out.writeByte(8);          // bit depth
            out.writeShort(0);         // range: unassigned
            out.writeShort(0xFFFF);    // roll angle: undefined
            out.writeShort(0xFFFF);    // roll angle uncertainty: undefined
            out.writeShort(width / 2 - 2);
            out.writeShort(width / 2 + 2);
            out.writeShort(height / 2 - 2);
            out.writeShort(height / 2 + 2);
            out.writeShort(56);        // iris diameter smallest
            out.writeShort(60);        // iris diameter largest
            out.writeInt(rawPixels.length);
            out.write(rawPixels);
        });
    }

    /**
     * ISO/IEC 19794-5:2011 face image record: general header (17) "FAC\0" "030\0" length(4)
     * representations(2)=1 certificationFlag(1)=0 temporalSemantics(2)=0; representation header
     * (4+9+1+2+2+1+5 +17 facial information + 8 per landmark point +11 image information) then image
     * length(4) and JPEG.
     */
    public static byte[] face(int quality, Instant captured, byte[] jpeg, int width, int height) {
        return face(quality, captured, jpeg, width, height, 0, List.of(), 3);
    }

    /**
     * The same record with image data type 0 JPEG, 1 JPEG 2000 lossy, 2 JPEG 2000 lossless, landmark
     * points (19794-5:2011 §5.6.6: type, code, x, y, z; 2D points have z 0) and image colour space
     * (1 24-bit RGB, 3 8-bit greyscale).
     */
    public static byte[] face(int quality, Instant captured, byte[] jpeg, int width, int height, int imageDataType,
                              List<Landmark> landmarks, int colourSpace) {
        int repLength = 4 + 9 + 1 + 2 + 2 + 1 + 5 + 17 + 8 * landmarks.size() + 11 + 4 + jpeg.length;
        return write(out -> {
            out.writeBytes("FAC\0");
            out.writeBytes("030\0");
            out.writeInt(17 + repLength);
            out.writeShort(1);
            out.writeByte(0);
            out.writeShort(0);
            out.writeInt(repLength);
            captureDateTime(out, captured);
            out.writeByte(0);
            out.writeShort(0);
            out.writeShort(0);
            qualityBlock(out, quality);
            // facial information (17)
            out.writeShort(landmarks.size());
            out.writeByte(0);          // gender unspecified
            out.writeByte(0);          // eye colour unspecified
            out.writeByte(0);          // hair colour unspecified
            out.writeByte(0);          // subject height unspecified
            out.write(new byte[3]);    // property mask
            out.writeShort(0);         // expression unspecified
            out.write(new byte[3]);    // pose angle yaw/pitch/roll unspecified
            out.write(new byte[3]);    // pose angle uncertainty
            for (Landmark l : landmarks) {
                out.writeByte(l.type());
                out.writeByte(l.code());
                out.writeShort(l.x());
                out.writeShort(l.y());
                out.writeShort(0);
            }
            // image information (11)
            out.writeByte(1);          // face image type: full frontal
            out.writeByte(imageDataType);
            out.writeShort(width);
            out.writeShort(height);
            out.writeByte(0);          // spatial sampling rate level unspecified
            out.writeShort(0);         // post-acquisition processing
            out.writeByte(0);          // cross reference
            out.writeByte(colourSpace);
            out.writeInt(jpeg.length);
            out.write(jpeg);
        });
    }

    /**
     * A 2D landmark point: type 1 is an MPEG-4 feature point (ISO/IEC 14496-2 Annex C) whose code
     * holds the group in the high four bits and the point in the low four (12.1 is 0xC1).
     */
    public record Landmark(int type, int code, int x, int y) {
        /** MPEG-4 feature point {@code group.point} at (x, y). */
        public static Landmark mpeg4(int group, int point, int x, int y) {
            return new Landmark(1, (group << 4) | point, x, y);
        }
    }

    private static void captureDateTime(DataOutputStream out, Instant at) throws IOException {
        ZonedDateTime t = at.atZone(ZoneOffset.UTC);
        out.writeShort(t.getYear());
        out.writeByte(t.getMonthValue());
        out.writeByte(t.getDayOfMonth());
        out.writeByte(t.getHour());
        out.writeByte(t.getMinute());
        out.writeByte(t.getSecond());
        out.writeShort(t.getNano() / 1_000_000);
    }

    private static void qualityBlock(DataOutputStream out, int quality) throws IOException {
        out.writeByte(1);              // one quality block
        out.writeByte(quality);
        out.writeShort(0);             // quality algorithm vendor: unreported
        out.writeShort(0);             // quality algorithm: unreported
    }

    private interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    private static byte[] write(Body body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            body.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
