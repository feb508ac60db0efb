package org.stationtrust.ctk.internal.check;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.cert.CertificateException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.stationtrust.sbi.client.DeviceAnswerRejected;

/**
 * The x5c chain of every signed part is valid now and chains to the vendor's device-provider CA
 * given on the command line (sbi-client's DeviceTrustStore does the PKIX work).
 */
public final class TrustCheck implements Check {

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
        for (Observation.SignedPart part : o.signed) {
            Optional<JsonNode> header = Certificates.header(part.compact());
            if (header.isEmpty()) {
                problems.add(part.what() + " has no readable header, so no certificate to trust");
                continue;
            }
            try {
                rules.trustStore().check(Certificates.chain(header.get()), rules.clock().instant());
            } catch (CertificateException e) {
                problems.add(part.what() + ": " + e.getMessage());
            } catch (DeviceAnswerRejected e) {
                problems.add(part.what() + " certificate not trusted (" + e.reason() + "): " + e.detail());
            }
        }
        return Finding.of(name(), problems, "every signing certificate is valid now and chains to the vendor CA");
    }
}
