package org.stationtrust.scanner;

/** What a finding is; the label is what the report prints (never the value itself). */
public enum FindingKind {
    ISO_19794_4_FINGER("iso-19794-4-finger-record", "an ISO/IEC 19794-4 finger image record (FIR)"),
    ISO_19794_5_FACE("iso-19794-5-face-record", "an ISO/IEC 19794-5 face image record (FAC)"),
    ISO_19794_6_IRIS("iso-19794-6-iris-record", "an ISO/IEC 19794-6 iris image record (IIR)"),
    JPEG_IMAGE("jpeg-image", "a JPEG image (JFIF, Exif or bare DQT start)"),
    JPEG2000_IMAGE("jpeg2000-image", "a JPEG 2000 (JP2) image"),
    PEM_PRIVATE_KEY("pem-private-key", "a PEM private key block"),
    OPERATOR_API_TOKEN("operator-api-token", "a server operator API token (sta_...)"),
    ENROLLMENT_TOKEN("enrollment-token", "a one-time station enrollment token (ste_...)"),
    BEARER_CREDENTIAL("bearer-credential", "an HTTP Bearer credential in plaintext"),
    LISTED_SECRET("listed-secret", "a value from the given list of passwords and personal data");

    private final String label;
    private final String description;

    FindingKind(String label, String description) {
        this.label = label;
        this.description = description;
    }

    public String label() {
        return label;
    }

    public String description() {
        return description;
    }
}
