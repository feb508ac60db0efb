package org.stationtrust.tpm.eventlog;

/** A boot switch that weakens the OS's integrity, as Windows measures it (SIPA events, PCRs 12-14). */
public enum DebugFlag {
    BOOT_DEBUGGING, KERNEL_DEBUGGING, HYPERVISOR_DEBUGGING, TEST_SIGNING, CODE_INTEGRITY_OFF
}
