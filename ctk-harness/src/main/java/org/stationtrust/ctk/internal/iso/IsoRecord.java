package org.stationtrust.ctk.internal.iso;

import java.util.List;

/**
 * One ISO/IEC 19794 (2011 editions) record as read field by field: the general header and its first
 * representation. Codes are kept as the standard numbers them; {@link IsoRecordReader} bounds every
 * length before reading.
 *
 * @param modality          Finger (19794-4), Iris (19794-6) or Face (19794-5)
 * @param representations   number of representations in the general header
 * @param certificationFlag 0 or 1
 * @param recordLength      record length as declared
 * @param representationLength the first representation's declared length
 * @param captureTime       year, month, day, hour, minute, second, millisecond as stored
 * @param technology        capture device technology identifier
 * @param qualities         the quality scores of the quality blocks (0-100, 255 = failed)
 * @param position          finger position (19794-4) or eye label (19794-6); -1 for face
 * @param imageType         iris image type or face image type; -1 for finger
 * @param encoding          finger compression, iris image format, or face image data type
 * @param compressionHistory iris compression history (0 undefined, 1 lossless/none, 2 lossy); -1 otherwise
 * @param width             declared image width
 * @param height            declared image height
 * @param bitDepth          declared bit depth (finger, iris); -1 for face
 * @param samplingRates     finger: scan h, scan v, image h, image v (pixels per inch or cm); empty otherwise
 * @param scaleUnits        finger: 1 ppi, 2 ppcm; -1 otherwise
 * @param impression        finger impression type; -1 otherwise
 * @param image             the image bytes
 * @param capture           capture device vendor and type, every quality block, representation number
 * @param face              the face record's own fields (19794-5); null for finger and iris
 * @param iris              the iris record's own fields (19794-6); null for finger and face
 */
public record IsoRecord(String modality, int representations, int certificationFlag, long recordLength,
                        long representationLength, int[] captureTime, int technology, List<Integer> qualities,
                        int position, int imageType, int encoding, int compressionHistory, int width, int height,
                        int bitDepth, List<Integer> samplingRates, int scaleUnits, int impression, byte[] image,
                        Capture capture, FaceInfo face, IrisInfo iris) {

    public IsoRecord {
        qualities = List.copyOf(qualities);
        samplingRates = List.copyOf(samplingRates);
        captureTime = captureTime.clone();
        image = image.clone();
    }

    @Override
    public int[] captureTime() {
        return captureTime.clone();
    }

    @Override
    public byte[] image() {
        return image.clone();
    }

    /**
     * The representation header's provenance fields (19794-4/-5/-6:2011, common to the three).
     *
     * @param deviceVendor         capture device vendor identifier (IBIA registered; 0 = unreported)
     * @param deviceType           capture device type identifier (assigned by the vendor; 0 = unreported)
     * @param qualityBlocks        every quality block as stored
     * @param representationNumber finger or iris representation number; -1 for face
     * @param present              fingers or eyes present, as the general header says; -1 for face
     */
    public record Capture(int deviceVendor, int deviceType, List<QualityBlock> qualityBlocks, int representationNumber,
                          int present) {
        public Capture {
            qualityBlocks = List.copyOf(qualityBlocks);
        }
    }

    /** One quality block (19794-1:2011): score 0-100 or 255, and who computed it with which algorithm. */
    public record QualityBlock(int score, int algorithmVendor, int algorithmId) {
    }

    /** The facial information and image information fields of a 19794-5:2011 representation. */
    public record FaceInfo(int temporalSemantics, int gender, int eyeColour, int hairColour, List<Landmark> landmarks,
                           int spatialSamplingLevel, int colourSpace) {
        public FaceInfo {
            landmarks = List.copyOf(landmarks);
        }
    }

    /**
     * The iris record's own fields: the image properties' horizontal and vertical orientation (bits 0-1
     * and 2-3: 0 undefined, 1 base, 2 flipped).
     */
    public record IrisInfo(int horizontalOrientation, int verticalOrientation) {
    }

    /** A landmark point block (19794-5:2011): type, code (MPEG-4: group in the high nibble), coordinates. */
    public record Landmark(int type, int code, int x, int y, int z) {
    }

    /** The image format the declared encoding names. */
    public ImageCodec codec() {
        return switch (modality) {
            case "Finger" -> switch (encoding) {
                case 0 -> ImageCodec.RAW;
                case 1 -> ImageCodec.BIT_PACKED;
                case 2 -> ImageCodec.WSQ;
                case 3 -> ImageCodec.JPEG;
                case 4, 5 -> ImageCodec.JPEG2000;
                case 6 -> ImageCodec.PNG;
                default -> ImageCodec.UNKNOWN;
            };
            case "Iris" -> switch (encoding) {
                case 2 -> ImageCodec.RAW;
                case 0x0A -> ImageCodec.JPEG2000;
                case 0x0E -> ImageCodec.PNG;
                default -> ImageCodec.UNKNOWN;
            };
            default -> switch (encoding) {
                case 0 -> ImageCodec.JPEG;
                case 1, 2 -> ImageCodec.JPEG2000;
                case 3 -> ImageCodec.PNG;
                default -> ImageCodec.UNKNOWN;
            };
        };
    }

    /** Whether the header declares a lossless image (null: it does not say). */
    public Boolean declaredLossless() {
        return switch (modality) {
            case "Finger" -> encoding == 5 || encoding == 0 || encoding == 6 ? Boolean.TRUE
                    : encoding == 4 || encoding == 2 || encoding == 3 ? Boolean.FALSE : null;
            case "Iris" -> compressionHistory == 1 ? Boolean.TRUE : compressionHistory == 2 ? Boolean.FALSE : null;
            default -> encoding == 2 || encoding == 3 ? Boolean.TRUE : encoding == 0 || encoding == 1 ? Boolean.FALSE : null;
        };
    }

    /** Image encodings ISO 19794 records carry. */
    public enum ImageCodec { RAW, BIT_PACKED, WSQ, JPEG, JPEG2000, PNG, UNKNOWN }
}
