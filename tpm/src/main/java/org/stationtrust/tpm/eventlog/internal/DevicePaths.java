package org.stationtrust.tpm.eventlog.internal;

import java.nio.charset.StandardCharsets;
import org.stationtrust.tpm.eventlog.MalformedEventLog;

/**
 * The file path of a UEFI_IMAGE_LOAD_EVENT (PC Client PFP §10.4.3): four 64-bit fields then an
 * EFI_DEVICE_PATH_PROTOCOL list of nodes (type, subtype, 16-bit length) ending in type 0x7f. Shown
 * to the admin only: it is not covered by the digest, which is the image's Authenticode hash.
 */
public final class DevicePaths {
    private static final int MEDIA = 4;
    private static final int FILE_PATH = 4;
    private static final int END = 0x7f;
    private static final int MAX_NODES = 64;

    private DevicePaths() {
    }

    public static String imageFilePath(byte[] event, long logOffset) throws MalformedEventLog {
        LeReader r = LeReader.of(event, logOffset);
        r.u64("ImageLocationInMemory");
        r.u64("ImageLengthInMemory");
        r.u64("ImageLinkTimeAddress");
        long at = r.offset();
        long length = r.u64("LengthOfDevicePath");
        if (length < 0 || length > r.remaining()) {
            throw r.failAt(at, "LengthOfDevicePath", "at most " + r.remaining(), Long.toUnsignedString(length));
        }
        StringBuilder path = new StringBuilder();
        long end = r.offset() + length;
        for (int n = 0; r.offset() < end; n++) {
            long nodeAt = r.offset();
            int type = r.u8("DevicePath.Type");
            int subtype = r.u8("DevicePath.SubType");
            int nodeLength = r.u16("DevicePath.Length");
            if (n >= MAX_NODES || nodeLength < 4 || nodeAt + nodeLength > end) {
                throw r.failAt(nodeAt, "DevicePath node", "at most " + MAX_NODES + " nodes of 4+ bytes within the path",
                        "node " + n + " of " + nodeLength + " bytes");
            }
            byte[] body = r.bytes("DevicePath.Data", nodeLength - 4);
            if (type == END) {
                break;
            }
            if (type == MEDIA && subtype == FILE_PATH) {
                String part = new String(body, StandardCharsets.UTF_16LE);
                int nul = part.indexOf('\0');
                path.append(nul >= 0 ? part.substring(0, nul) : part);
            }
        }
        return path.toString();
    }
}
