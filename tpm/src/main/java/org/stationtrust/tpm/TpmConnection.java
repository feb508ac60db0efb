package org.stationtrust.tpm;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.stationtrust.tpm.internal.KernelTpmDevice;
import org.stationtrust.tpm.internal.RecordingDevice;
import org.stationtrust.tpm.internal.SwtpmSocketDevice;
import org.stationtrust.tpm.internal.TpmChannel;

import tss.TpmDevice;
import tss.TpmDeviceTbs;

/**
 * An open connection to a TPM 2.0, chosen by a URI-like setting:
 * <ul>
 *   <li>{@code device:/dev/tpmrm0}: the Linux kernel resource manager (the only Linux device we accept:
 *       it isolates our transient objects from other programs);</li>
 *   <li>{@code tbs:}: the Windows TPM Base Services;</li>
 *   <li>{@code swtpm:127.0.0.1:PORT}: a swtpm simulator's raw TCP command channel (tests, demo).</li>
 * </ul>
 * One connection carries one command at a time; share it within a process.
 */
public final class TpmConnection implements AutoCloseable {
    private static final String LINUX_DEVICE = "/dev/tpmrm0";
    private static final int SOCKET_TIMEOUT_MILLIS = 30_000;

    private final String uri;
    private final TpmChannel channel;

    private TpmConnection(String uri, TpmChannel channel) {
        this.uri = uri;
        this.channel = channel;
    }

    /** Opens the TPM named by {@code uri}; see the class comment for the accepted forms. */
    public static TpmConnection open(String uri) throws TpmException {
        if (uri == null) {
            throw new IllegalArgumentException("TPM setting is missing: expected device:/dev/tpmrm0, tbs: or swtpm:127.0.0.1:PORT");
        }
        String setting = uri.strip();
        String lower = setting.toLowerCase(Locale.ROOT);
        if (lower.startsWith("swtpm:")) {
            return openSimulator(setting, setting.substring("swtpm:".length()));
        }
        if (lower.startsWith("device:")) {
            return openLinuxDevice(setting, setting.substring("device:".length()));
        }
        if (lower.equals("tbs:") || lower.equals("tbs")) {
            return openWindowsTbs(setting);
        }
        throw new IllegalArgumentException("unsupported TPM setting '" + setting
                + "': expected device:/dev/tpmrm0 (Linux), tbs: (Windows) or swtpm:127.0.0.1:PORT (simulator)");
    }

    private static TpmConnection openSimulator(String setting, String address) throws TpmException {
        int colon = address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1) {
            throw new IllegalArgumentException("TPM setting '" + setting + "' lacks host and port: expected swtpm:127.0.0.1:PORT");
        }
        String host = address.substring(0, colon);
        int port;
        try {
            port = Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("TPM setting '" + setting + "' has a port that is not a number: expected swtpm:127.0.0.1:PORT");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("TPM setting '" + setting + "' has port " + port + ", outside 1..65535");
        }
        SwtpmSocketDevice device;
        try {
            device = SwtpmSocketDevice.connect(host, port, SOCKET_TIMEOUT_MILLIS);
        } catch (ConnectException e) {
            throw new TpmUnreachable("no TPM simulator is listening on " + host + ":" + port + " (connection refused): "
                    + "start swtpm (SoftwareTpm.start) or correct the port in '" + setting + "'", e);
        } catch (SocketTimeoutException e) {
            throw new TpmUnreachable("the TPM simulator at " + host + ":" + port + " did not accept a connection in time: "
                    + "check it is running and reachable", e);
        } catch (IOException e) {
            throw new TpmUnreachable("cannot connect to the TPM simulator at " + host + ":" + port + ": " + e.getMessage(), e);
        }
        TpmChannel channel = new TpmChannel(new RecordingDevice(device), "swtpm at " + host + ":" + port);
        try {
            // A simulator keeps objects a previous client left loaded; start clean (this also proves it answers).
            channel.flushLeftovers();
        } catch (TpmException e) {
            channel.close();
            throw e;
        }
        return new TpmConnection(setting, channel);
    }

    private static TpmConnection openLinuxDevice(String setting, String path) throws TpmException {
        if (!path.equals(LINUX_DEVICE)) {
            throw new IllegalArgumentException("TPM setting '" + setting + "' names " + path + "; only " + LINUX_DEVICE
                    + " (the kernel resource manager) is supported: use device:" + LINUX_DEVICE);
        }
        return openKernelDevice(setting, Path.of(path));
    }

    /** Opens a Linux TPM character device at exactly {@code device} (no fallback to /dev/tpm0) and probes it. */
    static TpmConnection openKernelDevice(String setting, Path device) throws TpmException {
        String user = System.getProperty("user.name");
        if (!Files.exists(device)) {
            throw new TpmNotFound("no TPM device at " + device + ": enable the TPM 2.0 in the firmware settings and check "
                    + "that the kernel driver is loaded (ls -l /dev/tpm*; dmesg | grep -i tpm)");
        }
        if (Files.isDirectory(device)) {
            throw new TpmNotFound(device + " is a directory, not a TPM device: check the setting '" + setting + "'");
        }
        if (!Files.isReadable(device) || !Files.isWritable(device)) {
            throw new TpmAccessDenied("permission denied on " + device + " for user " + user
                    + ": add the service user to the tss group (usermod -aG tss " + user + ") and restart the service");
        }
        KernelTpmDevice kernel;
        try {
            kernel = KernelTpmDevice.open(device);
        } catch (IOException e) {
            throw new TpmAccessDenied("could not open " + device + " for reading and writing (" + e.getMessage()
                    + "): add the service user to the tss group (usermod -aG tss " + user + ")", e);
        }
        TpmChannel channel = new TpmChannel(new RecordingDevice(kernel), "TPM at " + device);
        try {
            channel.handles(0x80000000); // proves the device answers as a TPM before anyone relies on it
        } catch (TpmException e) {
            channel.close();
            throw e;
        }
        return new TpmConnection(setting, channel);
    }

    private static TpmConnection openWindowsTbs(String setting) throws TpmException {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("windows")) {
            throw new TpmNotFound("TPM setting '" + setting + "' asks for Windows TBS, but this is "
                    + System.getProperty("os.name") + ": use device:/dev/tpmrm0 on Linux");
        }
        TpmDevice tbs;
        try {
            tbs = new TpmDeviceTbs();
            if (!tbs.connect()) {
                throw new TpmNotFound("Windows TBS found no TPM 2.0: enable the TPM in the firmware settings (tpm.msc shows its state)");
            }
        } catch (RuntimeException | LinkageError e) {
            throw new TpmNotFound("Windows TBS is not available (" + e.getMessage() + "): check that the TPM Base "
                    + "Services service is running and a TPM 2.0 is enabled (tpm.msc)", e);
        }
        return new TpmConnection(setting, new TpmChannel(new RecordingDevice(tbs), "TPM through Windows TBS"));
    }

    /** The setting this connection was opened with. */
    public String uri() {
        return uri;
    }

    TpmChannel channel() {
        return channel;
    }

    @Override
    public void close() {
        channel.close();
    }

    @Override
    public String toString() {
        return "TpmConnection[" + uri + "]";
    }
}
