package org.stationtrust.tpm.simulator;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.stationtrust.tpm.eventlog.EventType;
import org.stationtrust.tpm.verify.HashAlgorithm;

/**
 * A typical UEFI Secure Boot (PC Client PFP §3.3.4): firmware in PCR 0, boot variables in PCR 1, the
 * Secure Boot configuration in PCR 7, separators in PCRs 0-7, the authority that verified the boot
 * application, the application in PCR 4 and Exit Boot Services in PCR 5. Certificates are generated
 * at run time. Each part can be changed to build the boots a policy must reject.
 */
public final class SyntheticBoot {
    public static final String OWNER = "77fa9abd-0359-4d32-bd60-28f4e78f784b";

    private boolean secureBoot = true;
    private String firmwareVersion = "StationBIOS 1.00";
    private byte[] firmwareImage = "firmware image 1.00".getBytes(StandardCharsets.US_ASCII);
    private byte[] platformKey;
    private byte[] keyExchangeKey;
    private final List<byte[]> db = new ArrayList<>();
    private final List<byte[]> dbx = new ArrayList<>();
    private byte[] authority;
    private byte[] bootApplication = "bootloader image v1".getBytes(StandardCharsets.US_ASCII);
    private String bootApplicationPath = "\\EFI\\station\\bootx64.efi";
    private boolean logExitBootServices = true;

    private SyntheticBoot() {
    }

    public SyntheticBoot secureBoot(boolean on) {
        this.secureBoot = on;
        return this;
    }

    /** A firmware update: another version string and another measured image. */
    public SyntheticBoot firmware(String version, byte[] image) {
        this.firmwareVersion = version;
        this.firmwareImage = image.clone();
        return this;
    }

    public SyntheticBoot bootApplication(String path, byte[] image) {
        this.bootApplicationPath = path;
        this.bootApplication = image.clone();
        return this;
    }

    /** The certificate logged as having verified the boot application (EV_EFI_VARIABLE_AUTHORITY). */
    public SyntheticBoot authority(byte[] der) {
        this.authority = der.clone();
        return this;
    }

    public SyntheticBoot addDb(byte[] der) {
        db.add(der.clone());
        return this;
    }

    public SyntheticBoot dbx(List<byte[]> hashes) {
        dbx.clear();
        hashes.forEach(h -> dbx.add(h.clone()));
        return this;
    }

    /** Some firmware extends PCR 5 with the Exit Boot Services actions without logging them. */
    public SyntheticBoot logExitBootServices(boolean logged) {
        this.logExitBootServices = logged;
        return this;
    }

    public byte[] platformKey() {
        return platformKey.clone();
    }

    public List<byte[]> db() {
        return db.stream().map(byte[]::clone).toList();
    }

    public List<byte[]> dbx() {
        return dbx.stream().map(byte[]::clone).toList();
    }

    public byte[] bootApplication() {
        return bootApplication.clone();
    }

    public byte[] firmwareImage() {
        return firmwareImage.clone();
    }

    /** A boot with PK, KEK and db generated and the first db certificate as the authority. */
    public static SyntheticBoot typical() throws Exception {
        SyntheticBoot boot = new SyntheticBoot();
        boot.platformKey = certificate("CN=Station Platform Key,O=Station Trust Test");
        boot.keyExchangeKey = certificate("CN=Station KEK CA,O=Station Trust Test");
        boot.db.add(certificate("CN=Station UEFI CA 2023,O=Station Trust Test"));
        boot.db.add(certificate("CN=Other Vendor UEFI CA,O=Other Vendor"));
        boot.dbx.add(HashAlgorithm.SHA256.digest("revoked bootloader".getBytes(StandardCharsets.US_ASCII)));
        boot.authority = boot.db.get(0);
        return boot;
    }

    /** This boot as a crypto-agile log with digests of {@code banks}. */
    public SyntheticEventLog log(HashAlgorithm... banks) {
        return log(SyntheticEventLog.cryptoAgile(banks));
    }

    /** This boot as older firmware logs it: the SHA-1 format (TCG_PCR_EVENT), SHA-1 digests only. */
    public SyntheticEventLog sha1FormatLog() {
        return log(SyntheticEventLog.sha1Format());
    }

    private SyntheticEventLog log(SyntheticEventLog log) {
        log.event(0, EventType.EV_S_CRTM_VERSION, (firmwareVersion + "\0").getBytes(StandardCharsets.UTF_16LE));
        log.measured(0, EventType.EV_EFI_PLATFORM_FIRMWARE_BLOB, blob(0xffc00000L, firmwareImage.length), firmwareImage);
        log.variable(1, EventType.EV_EFI_VARIABLE_BOOT, SyntheticEventLog.EFI_GLOBAL_VARIABLE, "BootOrder",
                new byte[] {1, 0});
        byte[] option = "boot option 0001".getBytes(StandardCharsets.US_ASCII);
        // data-only convention (EDK2): the digest covers the variable's value, not the whole structure
        log.measured(1, EventType.EV_EFI_VARIABLE_BOOT, SyntheticEventLog.variableData(
                SyntheticEventLog.EFI_GLOBAL_VARIABLE, "Boot0001", option), option);
        log.variable(7, EventType.EV_EFI_VARIABLE_DRIVER_CONFIG, SyntheticEventLog.EFI_GLOBAL_VARIABLE, "SecureBoot",
                new byte[] {(byte) (secureBoot ? 1 : 0)});
        log.variable(7, EventType.EV_EFI_VARIABLE_DRIVER_CONFIG, SyntheticEventLog.EFI_GLOBAL_VARIABLE, "PK",
                SyntheticEventLog.certificateList(OWNER, List.of(platformKey)));
        log.variable(7, EventType.EV_EFI_VARIABLE_DRIVER_CONFIG, SyntheticEventLog.EFI_GLOBAL_VARIABLE, "KEK",
                SyntheticEventLog.certificateList(OWNER, List.of(keyExchangeKey)));
        log.variable(7, EventType.EV_EFI_VARIABLE_DRIVER_CONFIG, SyntheticEventLog.EFI_IMAGE_SECURITY_DATABASE, "db",
                SyntheticEventLog.certificateList(OWNER, db));
        log.variable(7, EventType.EV_EFI_VARIABLE_DRIVER_CONFIG, SyntheticEventLog.EFI_IMAGE_SECURITY_DATABASE, "dbx",
                SyntheticEventLog.hashList(OWNER, dbx));
        log.event(4, EventType.EV_EFI_ACTION, "Calling EFI Application from Boot Option".getBytes(StandardCharsets.US_ASCII));
        log.separators(0, 1, 2, 3, 4, 5, 6, 7);
        log.variable(7, EventType.EV_EFI_VARIABLE_AUTHORITY, SyntheticEventLog.EFI_IMAGE_SECURITY_DATABASE, "db",
                SyntheticEventLog.signatureData(OWNER, authority));
        log.measured(4, EventType.EV_EFI_BOOT_SERVICES_APPLICATION, SyntheticEventLog.imageLoadEvent(bootApplicationPath),
                bootApplication);
        if (logExitBootServices) {
            log.event(5, EventType.EV_EFI_ACTION, "Exit Boot Services Invocation".getBytes(StandardCharsets.US_ASCII));
            log.event(5, EventType.EV_EFI_ACTION,
                    "Exit Boot Services Returned with Success".getBytes(StandardCharsets.US_ASCII));
        }
        return log;
    }

    private static byte[] blob(long base, long length) {
        return ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(base).putLong(length).array();
    }

    /** A self-signed P-256 certificate with this RFC 2253 subject, DER. */
    public static byte[] certificate(String subject) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = g.generateKeyPair();
        Instant now = Instant.now();
        // RFC 2253 names list the last RDN first: X500Principal encodes them in certificate order
        X500Name name = X500Name.getInstance(new javax.security.auth.x500.X500Principal(subject).getEncoded());
        return new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(1,
                ChronoUnit.DAYS)), Date.from(now.plus(3650, ChronoUnit.DAYS)), name, keys.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())).getEncoded();
    }
}
