package org.stationtrust.ctk;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.stationtrust.ctk.internal.report.HtmlReport;
import org.stationtrust.ctk.internal.report.JsonReport;
import org.stationtrust.ctk.internal.report.JunitReport;

/** Writes a run's reports: ctk-report.html, ctk-report.json (schema report/ctk-report.schema.json), ctk-junit.xml. */
public final class Reports {
    public static final String HTML = "ctk-report.html";
    public static final String JSON = "ctk-report.json";
    public static final String JUNIT = "ctk-junit.xml";
    /** The detached JWS over ctk-report.json. */
    public static final String JSON_SIGNATURE = "ctk-report.json.jws";

    private Reports() {
    }

    public static String html(RunReport r) {
        return HtmlReport.write(r, null);
    }

    public static String json(RunReport r) {
        return JsonReport.write(r);
    }

    public static String junit(RunReport r) {
        return JunitReport.write(r);
    }

    /** Writes the three files into {@code dir} (each atomically), unsigned, and returns their paths. */
    public static List<Path> writeAll(RunReport r, Path dir) throws IOException {
        Files.createDirectories(dir);
        return List.of(write(dir.resolve(HTML), html(r)), write(dir.resolve(JSON), json(r)),
                write(dir.resolve(JUNIT), junit(r)));
    }

    /**
     * Writes the reports and signs the JSON with the harness key (detached JWS in ctk-report.json.jws);
     * the HTML states the signing key's fingerprint.
     */
    public static List<Path> writeAll(RunReport r, Path dir, HarnessKey key) throws IOException {
        Files.createDirectories(dir);
        String json = json(r);
        String jws = org.stationtrust.ctk.internal.report.ReportSignature.sign(json.getBytes(StandardCharsets.UTF_8), key);
        String fingerprint = CertificateFacts.fingerprint(key.certificate());
        return List.of(write(dir.resolve(JSON), json), write(dir.resolve(JSON_SIGNATURE), jws + "\n"),
                write(dir.resolve(HTML), HtmlReport.write(r, fingerprint)), write(dir.resolve(JUNIT), junit(r)));
    }

    /**
     * Verifies {@code report} against {@code report + ".jws"}; returns the signing key's SHA-256
     * fingerprint, or throws with the reason it does not verify.
     */
    public static String verify(Path report) throws IOException, InvalidReport {
        Path sig = report.resolveSibling(report.getFileName() + ".jws");
        if (!Files.isRegularFile(report) || !Files.isRegularFile(sig)) {
            throw new InvalidReport("need both " + report + " and " + sig);
        }
        if (Files.size(report) > 256L * 1024 * 1024 || Files.size(sig) > 64 * 1024) {
            throw new InvalidReport("report or signature file is implausibly large");
        }
        try {
            return org.stationtrust.ctk.internal.report.ReportSignature.verify(Files.readAllBytes(report),
                    Files.readString(sig, StandardCharsets.US_ASCII)).fingerprint();
        } catch (org.stationtrust.ctk.internal.report.ReportSignature.Invalid e) {
            throw new InvalidReport(e.getMessage());
        }
    }

    /** A report whose signature does not verify. */
    public static final class InvalidReport extends Exception {
        private static final long serialVersionUID = 1L;

        public InvalidReport(String message) {
            super(message);
        }
    }

    private static Path write(Path file, String content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        try {
            return Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (java.nio.file.AtomicMoveNotSupportedException e) {
            return Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
