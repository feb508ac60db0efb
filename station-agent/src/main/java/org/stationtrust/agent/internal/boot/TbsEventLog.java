package org.stationtrust.agent.internal.boot;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * The log through TBS on Windows: ask for its size, then read it into a buffer of that size (bounded), as
 * Microsoft documents for Tbsi_Get_TCG_Log_Ex. The log can grow between the two calls (another boot
 * application measured), so an "insufficient buffer" answer is retried once with the new size.
 */
public final class TbsEventLog implements EventLogSource {
    /** TBS_E_INSUFFICIENT_BUFFER (tbs.h). */
    static final int INSUFFICIENT_BUFFER = 0x80284005;

    private final Tbs tbs;

    public TbsEventLog(Tbs tbs) {
        this.tbs = Objects.requireNonNull(tbs, "tbs");
    }

    /** The real TBS (Windows only). */
    public static TbsEventLog windows() {
        return new TbsEventLog(new JnaTbs());
    }

    @Override
    public Optional<byte[]> read() throws EventLogUnreadable {
        for (int attempt = 0; attempt < 2; attempt++) {
            int[] size = {0};
            check(tbs.getTcgLogEx(Tbs.SRTM_CURRENT, null, size), "asking the size of");
            if (size[0] <= 0 || size[0] > MAX_BYTES) {
                throw new EventLogUnreadable("TBS reports a boot event log of " + Integer.toUnsignedString(size[0])
                        + " bytes; expected 1.." + MAX_BYTES);
            }
            byte[] buffer = new byte[size[0]];
            int[] written = {buffer.length};
            int result = tbs.getTcgLogEx(Tbs.SRTM_CURRENT, buffer, written);
            if (result == INSUFFICIENT_BUFFER) {
                continue;
            }
            check(result, "reading");
            if (written[0] <= 0 || written[0] > buffer.length) {
                throw new EventLogUnreadable("TBS wrote " + written[0] + " bytes into a buffer of " + buffer.length);
            }
            return Optional.of(Arrays.copyOf(buffer, written[0]));
        }
        throw new EventLogUnreadable("the boot event log kept growing while TBS was read; try again");
    }

    private static void check(int result, String what) throws EventLogUnreadable {
        if (result != Tbs.SUCCESS) {
            throw new EventLogUnreadable("TBS failed " + what + " the boot event log: TBS_RESULT 0x"
                    + Integer.toHexString(result) + " (0x8028400f: no TPM; 0x80284004: access denied)");
        }
    }

    @Override
    public String describe() {
        return "TBS (Tbsi_Get_TCG_Log_Ex)";
    }
}
