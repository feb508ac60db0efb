package org.stationtrust.testsupport;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The shared test set of the redaction policy: secrets and biometric values as they reach a module's logging
 * (under their own key, or inside free text under an ordinary key or message). Every module that writes log lines,
 * audit records, error messages or reports runs its own output path over {@link #all()} and asserts
 * {@link #leaks(String)} is empty. Values are made here at class load, reproducibly (SHA-256 of a label): no real secret exists.
 */
public final class HostileInputs {
    /**
     * One hostile value. {@code key} is the field name it travels under when structured (a sensitive name), {@code text}
     * the same secret embedded in an ordinary sentence, and {@code mustNotAppear} the fragments that prove a leak.
     */
    public record Hostile(String name, String key, String value, String text, List<String> mustNotAppear) {
        public Hostile {
            mustNotAppear = List.copyOf(mustNotAppear);
        }
    }

    /** An ISO/IEC 19794-4 finger record (header "FIR\0" "010\0" then data) as an SBI bioValue carries it. */
    public static final String FINGER_RECORD_BASE64;
    /** A compact ES256 JWS as an SBI device or a station sends it. */
    public static final String JWS;
    public static final String OPERATOR_TOKEN;
    public static final String ENROLLMENT_TOKEN;
    public static final String STATION_TOKEN;
    public static final String PASSWORD = "correct-horse-battery-staple-7";
    public static final String PIN = "493817";
    public static final String EK_CERTIFICATE_BASE64;
    public static final String EK_SERIAL = "7f3c29d1a8";
    public static final String PRIVATE_KEY_PEM;
    public static final String SESSION_COOKIE;

    static {
        byte[] record = bytes("finger record", 96);
        System.arraycopy("FIR\u0000010\u0000".getBytes(StandardCharsets.ISO_8859_1), 0, record, 0, 8);
        FINGER_RECORD_BASE64 = Base64.getEncoder().encodeToString(record);
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        byte[] signature = bytes("signature", 64);
        JWS = url.encodeToString("{\"alg\":\"ES256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + url.encodeToString(("{\"bioValue\":\"" + FINGER_RECORD_BASE64 + "\"}").getBytes(StandardCharsets.UTF_8))
                + "." + url.encodeToString(signature);
        OPERATOR_TOKEN = "sta_" + token("operator");
        ENROLLMENT_TOKEN = "ste_" + token("enrollment");
        STATION_TOKEN = "sts_" + token("station");
        byte[] der = bytes("ek certificate", 300);
        der[0] = 0x30;
        der[1] = (byte) 0x82;
        EK_CERTIFICATE_BASE64 = Base64.getEncoder().encodeToString(der);
        // a real key, made at run time; the PEM label is assembled so that no key block stands in the source
        String label = "PRIVATE" + " KEY";
        PRIVATE_KEY_PEM = "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(freshKey())
                + "\n-----END " + label + "-----";
        SESSION_COOKIE = token("session");
    }

    private HostileInputs() {
    }

    private static byte[] freshKey() {
        try {
            java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("EC");
            g.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair().getPrivate().getEncoded();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("every Java 17 has EC P-256", e);
        }
    }

    private static String token(String label) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(label, 32));
    }

    /** Reproducible bytes that look random: SHA-256 of the label and a counter, repeated. */
    private static byte[] bytes(String label, int length) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            byte[] out = new byte[length];
            for (int i = 0, counter = 0; i < length; i += 32, counter++) {
                byte[] block = sha256.digest((label + "/" + counter).getBytes(StandardCharsets.UTF_8));
                System.arraycopy(block, 0, out, i, Math.min(32, length - i));
            }
            return out;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static String lastPemLine() {
        String[] lines = PRIVATE_KEY_PEM.split("\n");
        return lines[lines.length - 2];
    }

    /** Every hostile value of the set. */
    public static List<Hostile> all() {
        List<Hostile> all = new ArrayList<>();
        all.add(new Hostile("biometric record (SBI bioValue)", "bioValue", FINGER_RECORD_BASE64,
                "device answered with " + FINGER_RECORD_BASE64 + " in its body",
                List.of(FINGER_RECORD_BASE64.substring(0, 24), FINGER_RECORD_BASE64.substring(40, 64))));
        all.add(new Hostile("compact JWS", "data", JWS, "could not verify " + JWS + " (bad signature)",
                List.of(JWS.substring(0, 20), JWS.substring(JWS.lastIndexOf('.') + 1, JWS.lastIndexOf('.') + 30))));
        all.add(new Hostile("bearer credential", "Authorization", "Bearer " + OPERATOR_TOKEN,
                "request carried Authorization: Bearer " + OPERATOR_TOKEN, List.of(OPERATOR_TOKEN.substring(4, 30))));
        all.add(new Hostile("enrollment token", "enrollmentToken", ENROLLMENT_TOKEN,
                "token " + ENROLLMENT_TOKEN + " was already used", List.of(ENROLLMENT_TOKEN.substring(4, 30))));
        all.add(new Hostile("station token", "stationToken", STATION_TOKEN,
                "station presented " + STATION_TOKEN, List.of(STATION_TOKEN.substring(4, 30))));
        all.add(new Hostile("password", "password", PASSWORD, "login failed, password=" + PASSWORD,
                List.of(PASSWORD)));
        all.add(new Hostile("PIN", "pin", PIN, "operator entered pin: " + PIN, List.of(PIN)));
        all.add(new Hostile("EK certificate", "ekCertificate", EK_CERTIFICATE_BASE64,
                "EK certificate " + EK_CERTIFICATE_BASE64 + " does not chain",
                List.of(EK_CERTIFICATE_BASE64.substring(0, 24), EK_CERTIFICATE_BASE64.substring(200, 230))));
        all.add(new Hostile("EK serial", "ekSerial", EK_SERIAL, "EK serial is " + EK_SERIAL, List.of(EK_SERIAL)));
        all.add(new Hostile("PEM private key", "privateKey", PRIVATE_KEY_PEM, "loaded " + PRIVATE_KEY_PEM,
                List.of(PRIVATE_KEY_PEM.substring(28, 60), lastPemLine())));
        all.add(new Hostile("session cookie", "sessionCookie", SESSION_COOKIE, "Cookie: session=" + SESSION_COOKIE,
                List.of(SESSION_COOKIE.substring(0, 24))));
        return List.copyOf(all);
    }

    /**
     * The secrets of {@link #all()} whose value travels in free text and is caught by the text patterns alone (no key
     * to go by). The EK serial is not: a short hex value is only withheld under its key.
     */
    public static List<Hostile> caughtInText() {
        return all().stream().filter(h -> !h.name().equals("EK serial")).toList();
    }

    /** The names of the hostile values of which a fragment appears in {@code output}; empty when nothing leaked. */
    public static List<String> leaks(String output) {
        List<String> leaked = new ArrayList<>();
        for (Hostile h : all()) {
            if (h.mustNotAppear().stream().anyMatch(output::contains)) {
                leaked.add(h.name());
            }
        }
        return leaked;
    }
}
