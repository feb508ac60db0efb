package org.stationtrust.tpm.eventlog;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.stream.Stream;

/** The real logs in test resources ({@code eventlogs/}, sources and licences in its README). */
final class RealEventLogs {
    static final List<String> BINARY = List.of(
            "go-attestation/coreos_36_shielded_vm_no_secure_boot_eventlog",
            "go-attestation/crypto_agile_eventlog",
            "go-attestation/ebs_event_missing_eventlog",
            "go-attestation/option_rom_eventlog",
            "go-attestation/sb_cert_eventlog",
            "go-attestation/short_no_action_eventlog",
            "go-attestation/ubuntu_2104_shielded_vm_no_secure_boot_eventlog",
            "go-eventlog/arch-linux-workstation.bin",
            "go-eventlog/cos-101-amd-sev.bin",
            "go-eventlog/cos-85-amd-sev.bin",
            "go-eventlog/cos-93-amd-sev.bin",
            "go-eventlog/debian-10.bin",
            "go-eventlog/glinux-alex.bin",
            "go-eventlog/rhel8-uefi.bin",
            "go-eventlog/ubuntu-1804-amd-sev.bin",
            "go-eventlog/ubuntu-2104-no-dbx.bin",
            "go-eventlog/ubuntu-2104-no-secure-boot.bin",
            "tpm2-tools/event-bootorder.bin",
            "tpm2-tools/event-moklisttrusted.bin",
            "tpm2-tools/event-postcode.bin",
            "tpm2-tools/event-sd-boot-fedora37.bin",
            "tpm2-tools/event-uefi-sha1-log.bin",
            "tpm2-tools/event-uefiaction.bin",
            "tpm2-tools/event-uefiservices.bin",
            "tpm2-tools/event-uefivar.bin");
    /** tpm2_eventlog 5.4 crashes on the first and refuses the second; ours reads both. */
    static final List<String> UNREADABLE_BY_TPM2_TOOLS = List.of(
            "go-attestation/option_rom_eventlog", "go-attestation/short_no_action_eventlog");
    static final String WINDOWS_JSON = "go-attestation/windows_gcp_shielded_vm.json";

    private RealEventLogs() {
    }

    static Stream<String> binary() {
        return BINARY.stream();
    }

    static byte[] read(String name) {
        try (InputStream in = RealEventLogs.class.getResourceAsStream("/eventlogs/" + name)) {
            if (in == null) {
                throw new IllegalStateException("test resource eventlogs/" + name + " is missing");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
