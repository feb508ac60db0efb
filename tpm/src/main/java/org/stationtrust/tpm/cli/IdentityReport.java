package org.stationtrust.tpm.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import org.stationtrust.tpm.EndorsementKey;
import org.stationtrust.tpm.IdentityConfig;
import org.stationtrust.tpm.MachineIdentity;
import org.stationtrust.tpm.TpmConnection;
import org.stationtrust.tpm.TpmException;
import org.stationtrust.tpm.simulator.SoftwareTpm;
import org.stationtrust.tpm.simulator.SoftwareTpmException;
import org.stationtrust.tpm.verify.EkCertificateValidator;
import org.stationtrust.tpm.verify.TpmVerificationException;
import org.stationtrust.tpm.verify.TrustAnchors;

/**
 * Provisions a machine identity and prints it: by default on a fresh software TPM in a temp
 * directory (stopped and deleted afterwards); with {@code --tpm URI} on that TPM (e.g.
 * {@code device:/dev/tpmrm0}), where the keys stay persistent.
 */
public final class IdentityReport {
    private final PrintStream out;

    private IdentityReport(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        int status;
        try {
            status = run(args, System.out);
        } catch (TpmException | SoftwareTpmException | IOException | GeneralSecurityException | TpmVerificationException e) {
            System.err.println("identity report failed: " + e.getMessage());
            status = 1;
        }
        System.exit(status);
    }

    static int run(String[] args, PrintStream out) throws TpmException, IOException, GeneralSecurityException,
            TpmVerificationException {
        if (args.length == 2 && args[0].equals("--tpm")) {
            try (TpmConnection connection = TpmConnection.open(args[1])) {
                new IdentityReport(out).report(connection, null);
            }
            return 0;
        }
        if (args.length != 0) {
            System.err.println("usage: IdentityReport [--tpm device:/dev/tpmrm0 | tbs: | swtpm:127.0.0.1:PORT]");
            return 2;
        }
        Path dir = Files.createTempDirectory("station-trust-swtpm-");
        try (SoftwareTpm tpm = SoftwareTpm.start(dir)) {
            out.println("software TPM: " + tpm.uri() + " (fresh, in " + dir + ")");
            try (TpmConnection connection = TpmConnection.open(tpm.uri())) {
                new IdentityReport(out).report(connection, tpm);
            }
        } finally {
            deleteTree(dir);
        }
        out.println("software TPM stopped");
        return 0;
    }

    private void report(TpmConnection connection, SoftwareTpm simulator) throws TpmException, IOException,
            GeneralSecurityException, TpmVerificationException {
        long start = System.nanoTime();
        MachineIdentity identity = MachineIdentity.provision(connection, IdentityConfig.defaults());
        out.printf("machine identity provisioned in %d ms%n", (System.nanoTime() - start) / 1_000_000);

        EndorsementKey ek = identity.endorsementKey();
        X509Certificate certificate = ek.certificate();
        out.println("endorsement key (" + ek.kind() + ", certificate at NV 0x"
                + Integer.toHexString(ek.kind().certificateIndex()).toUpperCase() + ")");
        out.println("  certificate subject: " + printable(certificate.getSubjectX500Principal().getName()));
        out.println("  certificate issuer:  " + certificate.getIssuerX500Principal().getName());
        out.println("  certificate serial:  " + certificate.getSerialNumber().toString(16));
        out.println("  public key SHA-256:  " + fingerprint(ek.publicArea().toPublicKey()));
        if (simulator != null) {
            new EkCertificateValidator(TrustAnchors.fromPemDirectory(simulator.caDirectory()))
                    .validate(certificate, List.of());
            out.println("  chains to the simulator's local CA: yes");
        }
        out.printf("attestation key at 0x%08X (%s, restricted signing)%n", identity.attestationKey().handle(),
                identity.attestationKey().publicArea().type());
        out.println("  public key SHA-256:  " + fingerprint(identity.attestationKey().publicKey()));
        out.printf("machine key at 0x%08X (ECC P-256, fixedTPM, fixedParent)%n", identity.machineKey().handle());
        out.println("  public key SHA-256:  " + fingerprint(identity.machineKey().publicKey()));

        byte[] message = ("identity report " + Instant.now()).getBytes(StandardCharsets.UTF_8);
        byte[] signature = identity.machineKey().signDer(message);
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(identity.machineKey().publicKey());
        verifier.update(message);
        boolean valid = verifier.verify(signature);
        out.println("machine key signature (" + signature.length + " bytes DER) verified by JCA: " + (valid ? "yes" : "NO"));
        if (!valid) {
            throw new GeneralSecurityException("the TPM's signature did not verify with the machine key's public key");
        }
    }

    private static String fingerprint(PublicKey key) throws GeneralSecurityException {
        return HexFormat.ofDelimiter(":").formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
    }

    /** EK certificates often have an empty subject (the identity is in the SAN). */
    private static String printable(String subject) {
        return subject.isEmpty() ? "(empty: TPM identity is in the subject alternative name)" : subject;
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temp dir is harmless
        }
    }
}
