package org.stationtrust.ctk;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Every setting a run was judged with, so that a lab can repeat it: the profile, the device selection,
 * the limits, the lab and the person, and the vendor CA certificates trusted.
 */
public record RunSettings(Profile profile, int port, String deviceId, String deviceType, SortedSet<String> algorithms,
                          Duration skew, Duration grace, Duration responseLimit, Duration caseTimeout,
                          Duration readyWait, String env, boolean interactive, String lab, String operator,
                          List<CertificateFacts> vendorCas, String organisation, List<CertificateFacts> ftmCas) {

    public RunSettings {
        Objects.requireNonNull(profile, "profile");
        algorithms = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(algorithms));
        lab = lab == null ? "" : lab;
        operator = operator == null ? "" : operator;
        vendorCas = List.copyOf(vendorCas);
        organisation = organisation == null ? "" : organisation;
        ftmCas = List.copyOf(ftmCas);
    }
}
