package org.stationtrust.installer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * Throwaway release keys made at test time in a temp directory (never committed): an OpenPGP key in
 * its own GNUPGHOME for the package signature, and a PKCS12 keystore for jarsigner.
 */
record ReleaseKeys(Path dir, Path gnupgHome, Path secretKey, Path keyring, Path keystore, Path passwordFile,
                   String alias, Path jarCertificate) {

    static ReleaseKeys generate(Path dir, String name) {
        try {
            Files.createDirectories(dir);
            Path home = Files.createDirectory(dir.resolve("gnupg"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Map<String, String> gpgEnv = Map.of("GNUPGHOME", home.toString());
            Command.of("gpg", "--batch", "--quiet", "--pinentry-mode", "loopback", "--passphrase", "",
                    "--quick-gen-key", name + " <release@test.invalid>", "ed25519", "sign", "1d")
                    .withEnvironment(gpgEnv).run().requireSuccess();
            Path secret = dir.resolve("release-key.asc");
            Files.writeString(secret, Command.of("gpg", "--batch", "--armor", "--export-secret-keys")
                    .withEnvironment(gpgEnv).run().requireSuccess().stdout());
            Path keyring = dir.resolve("release-keyring.gpg");
            Command.of("gpg", "--batch", "--output", keyring.toString(), "--export").withEnvironment(gpgEnv).run().requireSuccess();
            Command.of("gpgconf", "--kill", "all").withEnvironment(gpgEnv).run();

            Path password = dir.resolve("keystore-password");
            Files.writeString(password, "test-only-" + System.nanoTime() + "\n");
            Path keystore = dir.resolve("jars.p12");
            Command.of("keytool", "-genkeypair", "-alias", "release", "-keyalg", "EC", "-groupname", "secp256r1",
                    "-dname", "CN=" + name, "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                    "-storepass:file", password.toString(), "-keypass:file", password.toString()).run().requireSuccess();
            Path certificate = dir.resolve("jar-cert.pem");
            Files.writeString(certificate, Command.of("keytool", "-exportcert", "-rfc", "-alias", "release", "-storetype", "PKCS12",
                    "-keystore", keystore.toString(), "-storepass:file", password.toString()).run().requireSuccess().stdout());
            return new ReleaseKeys(dir, home, secret, keyring, keystore, password, "release", certificate);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What build-deb reads to sign a release. */
    Map<String, String> buildEnvironment() {
        return Map.of("STATION_AGENT_RELEASE_KEY_FILE", secretKey.toString(),
                "STATION_AGENT_JAR_KEYSTORE", keystore.toString(),
                "STATION_AGENT_JAR_KEYSTORE_PASSWORD_FILE", passwordFile.toString(),
                "STATION_AGENT_JAR_KEY_ALIAS", alias);
    }

    /** A detached ASCII-armored signature of {@code file} by this key, written to {@code signature}. */
    void signDetached(Path file, Path signature) {
        Command.of("gpg", "--batch", "--yes", "--armor", "--detach-sign", "--output", signature.toString(), file.toString())
                .withEnvironment(Map.of("GNUPGHOME", gnupgHome.toString())).run().requireSuccess();
        Command.of("gpgconf", "--kill", "all").withEnvironment(Map.of("GNUPGHOME", gnupgHome.toString())).run();
    }
}
