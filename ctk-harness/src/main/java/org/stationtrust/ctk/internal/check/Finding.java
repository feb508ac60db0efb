package org.stationtrust.ctk.internal.check;

import java.util.List;
import java.util.Objects;

/** What one check concluded about one case. */
public record Finding(String check, Status status, String message) {

    /** WARN: an advisory finding (e.g. a reused transaction id accepted): reported, never a failure. */
    public enum Status { PASS, FAIL, WARN, NOT_EVALUATED }

    public Finding {
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(status, "status");
        message = message == null ? "" : message;
        // Findings quote device text; a device must not be able to grow the reports without bound.
        if (message.length() > MAX_MESSAGE) {
            message = message.substring(0, MAX_MESSAGE) + "... (" + (message.length() - MAX_MESSAGE) + " more chars cut)";
        }
    }

    /** Longest message a finding keeps. */
    public static final int MAX_MESSAGE = 2_000;

    public static Finding pass(String check, String message) {
        return new Finding(check, Status.PASS, message);
    }

    public static Finding fail(String check, String message) {
        return new Finding(check, Status.FAIL, message);
    }

    public static Finding warn(String check, String message) {
        return new Finding(check, Status.WARN, message);
    }

    public static Finding notEvaluated(String check, String why) {
        return new Finding(check, Status.NOT_EVALUATED, why);
    }

    /** PASS with {@code ok} when there are no problems, else FAIL listing them (at most 5). */
    public static Finding of(String check, List<String> problems, String ok) {
        if (problems.isEmpty()) {
            return pass(check, ok);
        }
        List<String> shown = problems.size() > 5 ? problems.subList(0, 5) : problems;
        String more = problems.size() > 5 ? " (+" + (problems.size() - 5) + " more)" : "";
        return fail(check, String.join("; ", shown) + more);
    }

    public boolean failed() {
        return status == Status.FAIL;
    }
}
