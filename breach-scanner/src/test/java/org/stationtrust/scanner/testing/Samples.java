package org.stationtrust.scanner.testing;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.stationtrust.scanner.FindingKind;

/** Sensitive values of each kind the scanner must find, made fresh at run time (nothing secret is committed). */
public final class Samples {
    private static final SecureRandom RANDOM = new SecureRandom();
    public static final String PASSWORD = "correct horse battery staple " + RANDOM.nextInt(1_000_000);

    private Samples() {
    }

    public static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    /** A biometric record: the 8-byte ISO header or image start, then random "pixels". */
    public static byte[] record(String header) {
        byte[] head = header.getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[head.length + 200];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(random(200), 0, out, head.length, 200);
        return out;
    }

    /** A real JPEG as Java's encoder writes it (JFIF APP0), like the SBI simulator's face and stream images. */
    public static byte[] jpeg() {
        BufferedImage img = new BufferedImage(32, 40, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 40; y++) for (int x = 0; x < 32; x++) img.getRaster().setSample(x, y, 0, RANDOM.nextInt(256));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "jpeg", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Binary biometric values by kind (one per signature family). */
    public static Map<String, Sample> biometric() {
        Map<String, Sample> m = new LinkedHashMap<>();
        m.put("finger 2011", new Sample(FindingKind.ISO_19794_4_FINGER, record("FIR\0" + "020\0")));
        m.put("finger 2005", new Sample(FindingKind.ISO_19794_4_FINGER, record("FIR\0" + "010\0")));
        m.put("face 2011", new Sample(FindingKind.ISO_19794_5_FACE, record("FAC\0" + "030\0")));
        m.put("iris 2011", new Sample(FindingKind.ISO_19794_6_IRIS, record("IIR\0" + "020\0")));
        m.put("jpeg", new Sample(FindingKind.JPEG_IMAGE, jpeg()));
        m.put("jpeg exif", new Sample(FindingKind.JPEG_IMAGE, concat(HexFormat.of().parseHex("FFD8FFE10022457869660000"), random(64))));
        m.put("jp2", new Sample(FindingKind.JPEG2000_IMAGE, concat(HexFormat.of().parseHex("0000000C6A5020200D0A870A"), random(64))));
        return m;
    }

    /** Textual secrets by kind. */
    public static Map<String, TextSample> textual() {
        Map<String, TextSample> m = new LinkedHashMap<>();
        m.put("pem key", new TextSample(FindingKind.PEM_PRIVATE_KEY, pemPrivateKey()));
        m.put("operator token", new TextSample(FindingKind.OPERATOR_API_TOKEN, "sta_" + b64url(random(32))));
        m.put("enrollment token", new TextSample(FindingKind.ENROLLMENT_TOKEN, "ste_" + b64url(random(32))));
        m.put("bearer", new TextSample(FindingKind.BEARER_CREDENTIAL, "Authorization: Bearer " + b64url(random(32))));
        m.put("password", new TextSample(FindingKind.LISTED_SECRET, PASSWORD));
        return m;
    }

    public static String pemPrivateKey() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(256);
            String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(g.generateKeyPair().getPrivate().getEncoded());
            return "-----BEGIN " + "PRIVATE KEY-----\n" + body + "\n-----END " + "PRIVATE KEY-----\n"; // split: no key literal in the repo
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String b64url(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    public static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** A binary value and what the scanner must call it. */
    public record Sample(FindingKind kind, byte[] value) {
    }

    /** A textual value and what the scanner must call it. */
    public record TextSample(FindingKind kind, String value) {
    }
}
