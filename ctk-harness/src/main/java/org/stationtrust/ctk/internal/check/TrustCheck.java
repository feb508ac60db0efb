package org.stationtrust.ctk.internal.check;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.cert.CertificateException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.stationtrust.sbi.client.DeviceAnswerRejected;
import org.stationtrust.sbi.client.DeviceTrustStore;

/**
 * The x5c chain of every signed part is valid now and chains to the vendor's device-provider CA
 * given on the command line (sbi-client's DeviceTrustStore does the PKIX work). The certification
 * level splits the trust (SBI 0.9.5 §Device Trust): an L0 device signs its digitalId with the device
 * key itself; an L1 device signs it with its FTM chip key, a different key, chained to the FTM
 * provider CA ({@code --ftm-ca}). With {@code --organisation}, every device signing certificate's
 * subject O must name the device provider (MOSIP 1.4 compares it with the partner's organisation); an
 * L1 chip certificate is the FTM provider's and is exempt. The spec's rules on the certificates
 * themselves (key size, the chip certificate issued by the FTM root itself, at most 20 years) are
 * {@link FtmCertificateRules}.
 */
public final class TrustCheck implements Check {

    /** L0: the digitalId is signed by the key of the answer carrying it; L1: by another key (the FTM chip's). */
    private static void split(String level, java.security.PublicKey idKey, java.security.PublicKey deviceKey,
                              List<String> problems) {
        String p = "L0".equals(level) && !idKey.equals(deviceKey)
                ? "certification L0 but the digitalId is signed by another key than the device key"
                : "L1".equals(level) && idKey.equals(deviceKey)
                ? "certification L1 but the digitalId is signed by the device key, not by an FTM chip key" : null;
        if (p != null && !problems.contains(p)) {
            problems.add(p);
        }
    }

    private static void organisation(String what, java.security.cert.X509Certificate cert, String expected,
                                     List<String> problems) {
        String o = null;
        try {
            for (javax.naming.ldap.Rdn rdn : new javax.naming.ldap.LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("O")) {
                    o = rdn.getValue().toString();
                }
            }
        } catch (javax.naming.InvalidNameException e) {
            o = null;
        }
        if (!expected.equals(o)) {
            problems.add(what + " certificate names organisation '" + (o == null ? "(none)" : SchemaCheck.abbreviate(o))
                    + "', expected '" + expected + "' (--organisation)");
        }
    }

    @Override
    public String name() {
        return "trust";
    }

    @Override
    public Finding judge(Observation o, JudgingRules rules) {
        if (o.signed.isEmpty()) {
            return Finding.notEvaluated(name(), "no signed part in the answers");
        }
        List<String> problems = new ArrayList<>();
        String level = o.device() == null || o.device().certification() == null ? "L0" : o.device().certification();
        java.security.PublicKey deviceKey = null;
        for (Observation.SignedPart part : o.signed) {
            Optional<JsonNode> header = Certificates.header(part.compact());
            if (header.isEmpty()) {
                problems.add(part.what() + " has no readable header, so no certificate to trust");
                continue;
            }
            boolean digitalId = part.what().endsWith("digitalId");
            try {
                List<java.security.cert.X509Certificate> chain = Certificates.chain(header.get());
                boolean l1Id = digitalId && "L1".equals(level);
                boolean chip = l1Id && rules.ftmTrust().isPresent();
                (chip ? rules.ftmTrust().get() : rules.trustStore()).check(chain, rules.clock().instant());
                FtmCertificateRules.keyStrength(part.what(), chain.get(0)).ifPresent(problems::add);
                if (l1Id) {
                    problems.addAll(FtmCertificateRules.chipCertificate(part.what(), chain.get(0),
                            rules.ftmTrust().map(DeviceTrustStore::caCertificates).orElse(List.of())));
                } else {
                    // the FTM chip certificate names the FTM provider, not the device provider
                    rules.organisation().ifPresent(org -> organisation(part.what(), chain.get(0), org, problems));
                }
                if (!digitalId) {
                    deviceKey = chain.get(0).getPublicKey(); // the answer that carries the next digitalId
                } else if (deviceKey != null) {
                    split(level, chain.get(0).getPublicKey(), deviceKey, problems);
                }
            } catch (CertificateException e) {
                problems.add(part.what() + ": " + e.getMessage());
            } catch (DeviceAnswerRejected e) {
                problems.add(part.what() + " certificate not trusted (" + e.reason() + "): " + e.detail());
            }
        }
        return Finding.of(name(), problems, "every signing certificate is valid now and chains to the vendor CA"
                + ("L1".equals(level) && rules.ftmTrust().isPresent() ? " (digitalId to the FTM CA)" : "")
                + " (" + level + " key split)");
    }
}
