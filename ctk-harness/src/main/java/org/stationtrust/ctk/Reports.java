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

    private Reports() {
    }

    public static String html(RunReport r) {
        return HtmlReport.write(r);
    }

    public static String json(RunReport r) {
        return JsonReport.write(r);
    }

    public static String junit(RunReport r) {
        return JunitReport.write(r);
    }

    /** Writes the three files into {@code dir} (each atomically) and returns their paths. */
    public static List<Path> writeAll(RunReport r, Path dir) throws IOException {
        Files.createDirectories(dir);
        return List.of(write(dir.resolve(HTML), html(r)), write(dir.resolve(JSON), json(r)),
                write(dir.resolve(JUNIT), junit(r)));
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
