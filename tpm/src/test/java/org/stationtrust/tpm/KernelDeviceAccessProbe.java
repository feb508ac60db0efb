package org.stationtrust.tpm;

import java.nio.file.Path;

/**
 * Run in a child JVM as an unprivileged user by {@link KernelDeviceAccessTest}: opens the device
 * file given and prints the exception type and message (or "opened").
 */
public final class KernelDeviceAccessProbe {
    private KernelDeviceAccessProbe() {
    }

    public static void main(String[] args) {
        try (TpmConnection connection = TpmConnection.openKernelDevice("device:" + args[0], Path.of(args[0]))) {
            System.out.println("opened " + connection.uri());
        } catch (TpmException e) {
            System.out.println(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
