package org.stationtrust.sbi.simulator.internal;

/** An SBI error the device answers with ({@code error.errorCode} / {@code errorInfo}), SBI 0.9.5 §Error Codes. */
public final class DeviceError extends Exception {
    private static final long serialVersionUID = 1L;

    public static final String NOT_REGISTERED = "100";
    public static final String NO_BIOMETRIC = "101";
    public static final String DEVICE_NOT_FOUND = "106";
    public static final String DOMAIN_KEY_MISSING = "108";
    public static final String COUNT_NOT_SUPPORTED = "109";
    /** SBI 0.9.5 §Error Codes: the table's description of 109. */
    public static final String COUNT_NOT_SUPPORTED_INFO = "Requested number of biometric (Finger/IRIS) not supported";
    public static final String NOT_READY = "110";
    public static final String BUSY = "111";
    public static final String INVALID_TRANSACTION_ID = "112";
    public static final String NO_STREAM_DEVICE = "202";
    /** Vendor-specific range (5xx): the request breaks an interop rule of docs/sbi-protocol.md. */
    public static final String MALFORMED_REQUEST = "501";

    private final String code;

    /** {@code info} may quote request fields: it is cut to 300 characters and control characters are replaced. */
    public DeviceError(String code, String info) {
        super(printable(info), null, false, false);
        this.code = code;
    }

    /** Keeps client-supplied text from forging log lines or bloating answers. */
    static String printable(String text) {
        String cut = text.length() > 300 ? text.substring(0, 300) + "..." : text;
        StringBuilder out = new StringBuilder(cut.length());
        cut.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return out.toString();
    }

    public String code() {
        return code;
    }

    public String info() {
        return getMessage();
    }
}
