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

    /** What the harness judges about biometric quality without an SDK (stated in every report). */
    public static final String ASSESSED = "the device's own qualityScore against the requested score; every ISO 19794 "
            + "record read field by field; every image decoded (JPEG 2000, WSQ, JPEG, PNG, raw) to its declared size, "
            + "lossless or lossy as declared, grey-level range, blank or constant image";
    /** What it does not judge. */
    public static final String NOT_ASSESSED = "MOSIP's re-scoring of images with a biometric SDK (NFIQ, ISO/IEC 29794 "
            + "quality algorithms, ICAO face checks), liveness, and matching accuracy: these need MOSIP's SDK services";

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
