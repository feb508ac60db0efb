package org.stationtrust.tpm.eventlog.internal;

import java.util.EnumSet;
import java.util.Set;
import org.stationtrust.tpm.eventlog.DebugFlag;
import org.stationtrust.tpm.eventlog.MalformedEventLog;

/**
 * Windows boot events (EV_EVENT_TAG in PCRs 12-14): a sequence of SIPA events, each a 32-bit type, a
 * 32-bit size and the data; a type with the aggregation bit (0x40000000) holds further SIPA events.
 * Type values as published in the Windows SDK (wbcl.h). Only the debug and test-signing switches are
 * read here; everything else is walked over so that a malformed event is still caught.
 */
public final class SipaEvents {
    private static final long AGGREGATION = 0x40000000L;
    private static final long BOOT_DEBUGGING = 0x00040001L;
    private static final long OS_KERNEL_DEBUG = 0x00050001L;
    private static final long CODE_INTEGRITY = 0x00050002L;
    private static final long TEST_SIGNING = 0x00050003L;
    private static final long HYPERVISOR_DEBUG = 0x0005000DL;

    private SipaEvents() {
    }

    public static Set<DebugFlag> debugFlags(byte[] event, long logOffset, int maxNesting) throws MalformedEventLog {
        Set<DebugFlag> flags = EnumSet.noneOf(DebugFlag.class);
        walk(LeReader.of(event, logOffset), event.length, 1, maxNesting, flags);
        return flags;
    }

    private static void walk(LeReader r, long length, int depth, int maxNesting, Set<DebugFlag> flags)
            throws MalformedEventLog {
        if (depth > maxNesting) {
            throw r.fail("SIPA container", "nesting of at most " + maxNesting, "deeper");
        }
        long end = r.offset() + length;
        while (r.offset() < end) {
            long type = r.u32("SIPA event type");
            long sizeAt = r.offset();
            long size = r.u32("SIPA event size");
            if (size > end - r.offset()) {
                throw r.failAt(sizeAt, "SIPA event size", "at most " + (end - r.offset()), String.valueOf(size));
            }
            if ((type & AGGREGATION) != 0) {
                walk(r, size, depth + 1, maxNesting, flags);
            } else {
                byte[] value = r.bytes("SIPA event data", size);
                read(type, value, flags);
            }
        }
    }

    private static void read(long type, byte[] value, Set<DebugFlag> flags) {
        boolean on = value.length == 1 && value[0] != 0;
        if (type == BOOT_DEBUGGING && on) {
            flags.add(DebugFlag.BOOT_DEBUGGING);
        } else if (type == OS_KERNEL_DEBUG && on) {
            flags.add(DebugFlag.KERNEL_DEBUGGING);
        } else if (type == TEST_SIGNING && on) {
            flags.add(DebugFlag.TEST_SIGNING);
        } else if (type == HYPERVISOR_DEBUG && on) {
            flags.add(DebugFlag.HYPERVISOR_DEBUGGING);
        } else if (type == CODE_INTEGRITY && value.length == 1 && value[0] == 0) {
            flags.add(DebugFlag.CODE_INTEGRITY_OFF);
        }
    }
}
