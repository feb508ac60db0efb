package org.stationtrust.tpm.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.stationtrust.tpm.verify.HashAlgorithm;

/**
 * Manufactures a TPM state with swtpm_setup, using configuration files and a local CA inside the
 * work directory only: RSA 2048 and ECC P-384 EKs with certificates in NV and a platform certificate.
 */
final class SwtpmManufacturer {
    private static final Duration SETUP_TIMEOUT = Duration.ofSeconds(60);

    private SwtpmManufacturer() {
    }

    /** Runs swtpm_setup in {@code dir}/state and returns the CA certificates (root, then intermediate). */
    static List<X509Certificate> manufacture(Path dir, String setup, String localca, List<HashAlgorithm> pcrBanks)
            throws IOException {
        Path state = Files.createDirectories(dir.resolve("state"));
        Path ca = Files.createDirectories(dir.resolve("ca"));
        Path setupConf = writeConfiguration(dir, ca, localca, pcrBanks);
        runSetup(dir, setup, state, setupConf);
        return publishTrustAnchors(ca, dir.resolve("trust"));
    }

    private static Path writeConfiguration(Path dir, Path ca, String localca, List<HashAlgorithm> pcrBanks)
            throws IOException {
        Path localcaConf = dir.resolve("swtpm-localca.conf");
        Files.writeString(localcaConf, String.join("\n",
                "statedir = " + ca,
                "signingkey = " + ca.resolve("signkey.pem"),
                "issuercert = " + ca.resolve("issuercert.pem"),
                "certserial = " + ca.resolve("certserial"),
                ""), StandardCharsets.UTF_8);
        Path localcaOptions = dir.resolve("swtpm-localca.options");
        Files.writeString(localcaOptions, String.join("\n",
                "--platform-manufacturer StationTrust",
                "--platform-version 2.1",
                "--platform-model SoftwareTpm",
                ""), StandardCharsets.UTF_8);
        Path setupConf = dir.resolve("swtpm_setup.conf");
        Files.writeString(setupConf, String.join("\n",
                "create_certs_tool = " + localca,
                "create_certs_tool_config = " + localcaConf,
                "create_certs_tool_options = " + localcaOptions,
                "active_pcr_banks = " + String.join(",", pcrBanks.stream().map(HashAlgorithm::bankName).toList()),
                ""), StandardCharsets.UTF_8);
        return setupConf;
    }

    private static void runSetup(Path dir, String setup, Path state, Path setupConf) throws IOException {
        Path log = dir.resolve("swtpm_setup.log");
        Process p = new ProcessBuilder(setup, "--tpm2",
                "--tpmstate", state.toString(),
                "--create-ek-cert", "--create-platform-cert",
                "--config", setupConf.toString(), "--overwrite")
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            if (!p.waitFor(SETUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new SoftwareTpmException("swtpm_setup did not finish within " + SETUP_TIMEOUT.toSeconds()
                        + " s; see " + log);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new SoftwareTpmException("interrupted while swtpm_setup was running", e);
        }
        if (p.exitValue() != 0) {
            throw new SoftwareTpmException("swtpm_setup failed with exit code " + p.exitValue() + ": " + Programs.tail(log));
        }
    }

    private static List<X509Certificate> publishTrustAnchors(Path ca, Path trust) throws IOException {
        Files.createDirectories(trust);
        Path root = ca.resolve("swtpm-localca-rootca-cert.pem");
        Path issuer = ca.resolve("issuercert.pem");
        Files.copy(root, trust.resolve("swtpm-localca-root.pem"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(issuer, trust.resolve("swtpm-localca-intermediate.pem"), StandardCopyOption.REPLACE_EXISTING);
        return List.of(readCertificate(root), readCertificate(issuer));
    }

    private static X509Certificate readCertificate(Path pem) throws IOException {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (CertificateException e) {
            throw new SoftwareTpmException("swtpm_localca wrote an unreadable certificate " + pem + ": " + e.getMessage(), e);
        }
    }
}
