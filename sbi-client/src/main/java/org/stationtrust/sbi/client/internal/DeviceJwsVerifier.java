package org.stationtrust.sbi.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.stationtrust.logging.Redaction;
import org.stationtrust.sbi.client.CompactJws;
import org.stationtrust.sbi.client.DeviceAnswerRejected;
import org.stationtrust.sbi.client.DeviceJson;
import org.stationtrust.sbi.client.DeviceTrustStore;
import org.stationtrust.sbi.client.RejectionReason;

/**
 * Verifies a device's compact JWS (SBI 0.9.5 "Signature"): algorithm on the allow-list ({@code none}
 * and HMAC never), x5c present and parseable, certificates valid now and chaining to the trust store,
 * keys strong enough (RSA 2048, EC 256 bits), key type matching the algorithm family (no alg confusion), signature valid. Each failure has its own
 * {@link RejectionReason}. Thread-safe.
 */
public final class DeviceJwsVerifier {
    /** Asymmetric algorithms a policy may allow; RS256 is the SBI default. */
    public static final Set<String> KNOWN_ALGORITHMS =
            Set.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512");
    private static final int CERT_CACHE_LIMIT = 1024;
    private static final int REPEATED_MAX_CHARS = 16 * 1024;
    static final int MIN_RSA_BITS = 2048;
    static final int MIN_EC_BITS = 256;

    private final ChainTrust trustStore;
    private final Set<String> allowedAlgorithms;
    private final Clock clock;
    private final Map<String, X509Certificate> parsedCertificates = new ConcurrentHashMap<>();
    private final Map<String, VerifiedJws> repeated = new ConcurrentHashMap<>();

    /** Verifies device-key signatures: x5c chains to the device-provider CAs of {@code trustStore}. */
    public DeviceJwsVerifier(DeviceTrustStore trustStore, Set<String> allowedAlgorithms, Clock clock) {
        this(Objects.requireNonNull(trustStore, "trustStore")::check, allowedAlgorithms, clock);
    }

    /** Verifies signatures whose x5c must reach {@code trust} (e.g. the FTM-provider roots for an L1 digitalId). */
    public DeviceJwsVerifier(ChainTrust trust, Set<String> allowedAlgorithms, Clock clock) {
        this.trustStore = Objects.requireNonNull(trust, "trust");
        this.allowedAlgorithms = checkedAlgorithms(allowedAlgorithms);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public static Set<String> checkedAlgorithms(Set<String> algorithms) {
        if (algorithms.isEmpty()) {
            throw new IllegalArgumentException("allow at least one JWS algorithm (RS256 is the SBI default)");
        }
        for (String alg : algorithms) {
            if (!KNOWN_ALGORITHMS.contains(alg)) {
                throw new IllegalArgumentException("JWS algorithm '" + alg + "' cannot be allowed: only "
                        + "asymmetric algorithms " + KNOWN_ALGORITHMS + " can verify a device ('none' and HMAC never)");
            }
        }
        return Set.copyOf(algorithms);
    }

    /** True when {@code value} has the shape of a compact JWS (three dot-separated parts). */
    public static boolean looksSigned(String value) {
        return CompactJws.looksLike(value);
    }

    /**
     * Verifies {@code compact}; {@code what} names the object in messages (e.g. "deviceInfo"). The JWS is read
     * by {@link CompactJws} (the strict splitting and decoding the CTK shares); this class adds the verdicts.
     */
    public VerifiedJws verify(String compact, String what) throws DeviceAnswerRejected {
        CompactJws parsed = CompactJws.parse(compact, what);
        JsonNode header = parsed.header();
        String alg = algorithm(parsed.algorithm(), what);
        byte[] signature = parsed.signature();
        if (signature.length == 0) {
            throw new DeviceAnswerRejected(RejectionReason.SIGNATURE_INVALID, what + " has an empty signature");
        }
        List<X509Certificate> chain = certificates(header, what);
        trustStore.check(chain, clock.instant());
        requireStrongKeys(chain, what);
        PublicKey key = chain.get(0).getPublicKey();
        if (!JwsSignatures.verify(alg, key, parsed.signingInput(), signature, what)) {
            throw new DeviceAnswerRejected(RejectionReason.SIGNATURE_INVALID, what + " signature (" + alg
                    + ") does not verify with the key of " + name(chain.get(0)));
        }
        return new VerifiedJws(parsed, chain);
    }

    /**
     * As {@link #verify}, but remembers small objects that verified (a digitalId repeats in every
     * element of every capture): the same exact string is not verified twice, yet its certificates'
     * validity period is checked again on every call.
     */
    public VerifiedJws verifyRepeated(String compact, String what) throws DeviceAnswerRejected {
        if (compact == null || compact.length() > REPEATED_MAX_CHARS) {
            return verify(compact, what);
        }
        VerifiedJws known = repeated.get(compact);
        if (known != null) {
            trustStore.check(known.chain(), clock.instant());
            return known;
        }
        VerifiedJws verified = verify(compact, what);
        if (repeated.size() >= CERT_CACHE_LIMIT) {
            repeated.clear();
        }
        repeated.put(compact, verified);
        return verified;
    }

    public static String name(X509Certificate c) {
        return Redaction.deviceText(c.getSubjectX500Principal().getName(), 160);
    }

    /**
     * sbi-protocol.md §Signatures: signing keys are RSA of at least 2048 bits (EC at least P-256); a weaker key
     * anywhere in x5c is refused even when the chain is trusted.
     */
    private static void requireStrongKeys(List<X509Certificate> chain, String what) throws DeviceAnswerRejected {
        for (X509Certificate c : chain) {
            PublicKey key = c.getPublicKey();
            int bits = key instanceof RSAPublicKey rsa ? rsa.getModulus().bitLength()
                    : key instanceof ECPublicKey ec ? ec.getParams().getCurve().getField().getFieldSize() : -1;
            int minimum = key instanceof ECPublicKey ? MIN_EC_BITS : MIN_RSA_BITS;
            if (bits < minimum) {
                throw new DeviceAnswerRejected(RejectionReason.CERTIFICATE_KEY_TOO_WEAK, what + " certificate "
                        + name(c) + " holds " + (bits < 0 ? "a " + key.getAlgorithm() + " key" : "a " + bits + "-bit "
                        + key.getAlgorithm() + " key") + ", expected RSA of at least " + MIN_RSA_BITS
                        + " bits or EC of at least " + MIN_EC_BITS + " bits");
            }
        }
    }

    private String algorithm(String name, String what) throws DeviceAnswerRejected {
        if (name.toLowerCase(Locale.ROOT).equals("none")) {
            throw new DeviceAnswerRejected(RejectionReason.ALGORITHM_NOT_ALLOWED, what
                    + " declares alg 'none' (unsigned); a device answer must be signed with one of " + allowedAlgorithms);
        }
        if (!allowedAlgorithms.contains(name)) {
            throw new DeviceAnswerRejected(RejectionReason.ALGORITHM_NOT_ALLOWED, what + " uses alg '"
                    + Redaction.deviceText(name, 20) + "', policy allows only " + allowedAlgorithms);
        }
        return name;
    }

    private List<X509Certificate> certificates(JsonNode header, String what) throws DeviceAnswerRejected {
        JsonNode x5c = header.get("x5c");
        if (x5c == null || x5c.isNull() || (x5c.isArray() && x5c.isEmpty())) {
            throw new DeviceAnswerRejected(RejectionReason.CERTIFICATE_MISSING, what
                    + " header has no x5c device certificate");
        }
        if (!x5c.isArray()) {
            throw new DeviceAnswerRejected(RejectionReason.CERTIFICATE_MALFORMED, what
                    + " header x5c must be an array of base64 DER certificates");
        }
        List<X509Certificate> chain = new ArrayList<>();
        for (JsonNode entry : x5c) {
            if (!entry.isTextual()) {
                throw new DeviceAnswerRejected(RejectionReason.CERTIFICATE_MALFORMED, what
                        + " header x5c holds a non-string entry");
            }
            chain.add(certificate(entry.asText(), what));
        }
        return chain;
    }

    private X509Certificate certificate(String encoded, String what) throws DeviceAnswerRejected {
        X509Certificate cached = parsedCertificates.get(encoded);
        if (cached != null) {
            return cached;
        }
        X509Certificate cert;
        try {
            byte[] der = DeviceJson.base64Certificate(encoded, what + " x5c entry");
            cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (DeviceAnswerRejected e) {
            throw new DeviceAnswerRejected(RejectionReason.CERTIFICATE_MALFORMED, e.detail());
        } catch (CertificateException | RuntimeException e) {
            throw new DeviceAnswerRejected(RejectionReason.CERTIFICATE_MALFORMED, what
                    + " x5c entry is not a base64 DER X.509 certificate (" + Redaction.deviceText(e.getMessage()) + ")");
        }
        if (parsedCertificates.size() >= CERT_CACHE_LIMIT) {
            parsedCertificates.clear();
        }
        parsedCertificates.put(encoded, cert);
        return cert;
    }

}
