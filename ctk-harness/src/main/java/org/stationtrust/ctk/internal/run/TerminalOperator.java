package org.stationtrust.ctk.internal.run;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import org.stationtrust.ctk.Operator;
import org.stationtrust.ctk.TestCase;

/** Prompts the person at the terminal: Enter to go on, "s" + Enter to skip the case. */
public final class TerminalOperator implements Operator {
    private final BufferedReader in;
    private final PrintStream out;

    public TerminalOperator(BufferedReader in, PrintStream out) {
        this.in = in;
        this.out = out;
    }

    @Override
    public boolean prepare(TestCase c) {
        if (c.humanSteps().isEmpty() || "key-rotation".equals(c.category())) {
            return true;
        }
        out.println();
        out.println("== " + c.id() + ": " + c.name());
        int step = 0;
        for (String s : c.humanSteps()) {
            if (!s.startsWith("After the case")) {
                out.println("   " + (++step) + ". " + s);
            }
        }
        if (!c.request().bioSubType().isEmpty()) {
            out.println("   " + (++step) + ". Present exactly: " + String.join(", ", c.request().bioSubType()) + ".");
        }
        if (!c.request().exception().isEmpty()) {
            out.println("   " + (++step) + ". Keep off the sensor (exceptions): " + String.join(", ", c.request().exception()) + ".");
        }
        if (capturing(c)) {
            out.println("   " + (++step) + ". Keep still until the harness says the capture is over.");
        }
        return ask();
    }

    /** Cases where a person presents a biometric during the case. */
    private static boolean capturing(TestCase c) {
        return (c.methods().contains("RCAPTURE") || c.methods().contains("CAPTURE"))
                && !"timeout-without-input".equals(c.category()) && !"robustness".equals(c.category());
    }

    @Override
    public boolean midway(TestCase c, String step, int round) {
        out.println();
        out.println("== " + c.id() + (round > 1 || c.request().repeat() != null ? " (" + round + ")" : "") + ": " + step);
        return ask();
    }

    @Override
    public void restore(TestCase c) {
        if (capturing(c) && c.needsOperator()) {
            out.println("   Capture over: remove " + (c.deviceTypes().equals(java.util.List.of("Face")) ? "the face from the camera"
                    : c.deviceTypes().equals(java.util.List.of("Iris")) ? "the eyes from the iris camera"
                    : "the fingers from the sensor") + " now.");
        }
        c.humanSteps().stream().filter(s -> s.startsWith("After the case")).forEach(s -> {
            out.println("   " + s + " Press Enter when done.");
            ask();
        });
    }

    private boolean ask() {
        out.print("   Press Enter to continue, or s + Enter to skip this case: ");
        out.flush();
        try {
            String line = in.readLine();
            return line != null && !line.trim().equalsIgnoreCase("s");
        } catch (IOException e) {
            return false;
        }
    }
}
