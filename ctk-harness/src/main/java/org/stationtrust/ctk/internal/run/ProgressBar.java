package org.stationtrust.ctk.internal.run;

import java.io.PrintStream;
import org.stationtrust.ctk.CaseResult;
import org.stationtrust.ctk.Harness;
import org.stationtrust.ctk.TestCase;

/** A one-line progress bar on the terminal: [=====>    ] 42/218 passed 40 failed 1 | CURRENT-CASE. */
public final class ProgressBar implements Harness.Listener {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private int passed;
    private int failed;
    private int skipped;

    public ProgressBar(PrintStream out) {
        this.out = out;
    }

    @Override
    public synchronized void started(int total) {
        out.println("Running " + total + " cases");
    }

    @Override
    public synchronized void caseStarted(int index, int total, TestCase c) {
        draw(index - 1, total, c.id());
    }

    @Override
    public synchronized void caseFinished(int index, int total, CaseResult r) {
        switch (r.outcome()) {
            case PASSED -> passed++;
            case FAILED -> failed++;
            default -> skipped++;
        }
        if (r.outcome() == CaseResult.Outcome.FAILED) {
            out.print("\r\u001b[2K");
            out.println("FAILED " + r.id() + ": " + (r.reason().length() > 200 ? r.reason().substring(0, 200) + "..." : r.reason()));
        }
        draw(index, total, index == total ? "done" : "");
        if (index == total) {
            out.println();
        }
    }

    private void draw(int done, int total, String current) {
        int filled = total == 0 ? WIDTH : done * WIDTH / total;
        String bar = "=".repeat(filled) + (filled < WIDTH ? ">" + " ".repeat(WIDTH - filled - 1) : "");
        out.print("\r\u001b[2K[" + bar + "] " + done + "/" + total + "  passed " + passed + " failed " + failed
                + " skipped " + skipped + "  " + current);
        out.flush();
    }
}
