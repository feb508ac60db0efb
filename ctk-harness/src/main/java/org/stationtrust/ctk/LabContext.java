package org.stationtrust.ctk;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Objects;
import java.util.Properties;

/**
 * What a certification lab needs beside the verdicts: which tool and catalogue judged (version, build,
 * catalogue digest), with which settings, and the device's certificates as read from its signed info.
 */
public record LabContext(String toolVersion, String toolBuild, String catalogueVersion, String catalogueSha256,
                         RunSettings settings, List<CertificateFacts> deviceCertificates) {

    public LabContext {
        Objects.requireNonNull(settings, "settings");
        deviceCertificates = List.copyOf(deviceCertificates);
    }

    /** The version and build time Maven wrote into ctk-build.properties; "unknown" when run from sources. */
    public static String[] buildFacts() {
        Properties p = new Properties();
        try (InputStream in = LabContext.class.getResourceAsStream("/ctk-build.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // reported as unknown
        }
        return new String[] {p.getProperty("version", "unknown"), p.getProperty("build", "unknown")};
    }
}
