package org.stationtrust.tpm.eventlog;

/**
 * A boot switch that weakens the boot's integrity: the firmware debugger, which firmware announces in PCR 7 with the
 * action "UEFI Debug Mode" (PC Client PFP, PCR 7 usage), and the switches Windows measures in SIPA events (PCRs
 * 12-14).
 */
public enum DebugFlag {
    FIRMWARE_DEBUGGER, BOOT_DEBUGGING, KERNEL_DEBUGGING, HYPERVISOR_DEBUGGING, TEST_SIGNING, CODE_INTEGRITY_OFF
}
