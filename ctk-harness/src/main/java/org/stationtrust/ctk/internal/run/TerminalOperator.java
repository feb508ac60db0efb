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
        for (int i = 0; i < c.humanSteps().size(); i++) {
            if (!c.humanSteps().get(i).startsWith("After the case")) {
                out.println("   " + (i + 1) + ". " + c.humanSteps().get(i));
            }
        }
        return ask();
    }

    @Override
    public boolean midway(TestCase c, String step, int round) {
        out.println();
        out.println("== " + c.id() + (round > 1 || c.request().repeat() != null ? " (" + round + ")" : "") + ": " + step);
        return ask();
    }

    @Override
    public void restore(TestCase c) {
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
