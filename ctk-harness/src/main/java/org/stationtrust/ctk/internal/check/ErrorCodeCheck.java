package org.stationtrust.ctk.internal.check;

import java.util.List;
import org.stationtrust.ctk.TestCase.Expectation;

/**
 * The device answered the error code the case expects: "0" everywhere for a success case, the exact
 * code (e.g. 109, 112) for a negative case, any error (an error element or HTTP 4xx/5xx) for
 * "nonzero", and an empty list also counts for "nonzero-or-empty".
 */
public final class ErrorCodeCheck implements Check {

    @Override
    public String name() {
        return "error-code";
    }

    @Override
    public Finding judge(Observation o, JudgingRules rules) {
        Finding f = strict(o, rules);
        // An advisory expectation (the spec leaves it to the caller, e.g. transaction-id reuse) warns.
        return f.failed() && o.testCase().expect().isAdvisory()
                ? Finding.warn(name(), "advisory, not required by SBI 0.9.5: " + f.message()) : f;
    }

    private Finding strict(Observation o, JudgingRules rules) {
        Expectation expect = o.testCase().expect();
        String wanted = expect.errorCode() == null ? "0" : expect.errorCode();
        if ("nonzero-or-empty".equals(wanted) && rules.mosip()) {
            wanted = "nonzero"; // MOSIP's toolkit wants an error element, an empty list fails there
        }
        List<String> codes = o.errorCodes;
        boolean httpError = o.exchanges.stream().anyMatch(e -> e.answered() && e.status() >= 400);
        boolean successData = o.elements.stream().anyMatch(e -> e.success() && e.data() != null && !e.data().isEmpty());
        switch (wanted) {
            case "0" -> {
                if (codes.isEmpty()) {
                    return Finding.fail(name(), "expected errorCode \"0\" but the answer carried no error object"
                            + (httpError ? " (HTTP error status)" : ""));
                }
                List<String> bad = codes.stream().filter(c -> !"0".equals(c)).distinct().toList();
                return bad.isEmpty() ? Finding.pass(name(), "errorCode \"0\" in " + codes.size() + " elements")
                        : Finding.fail(name(), "expected errorCode \"0\" but the device answered " + bad
                        + describe(bad));
            }
            case "nonzero", "nonzero-or-empty" -> {
                boolean anyError = httpError || codes.stream().anyMatch(c -> !"0".equals(c));
                boolean empty = "nonzero-or-empty".equals(wanted) && o.discovered.isEmpty()
                        && o.answers.stream().anyMatch(a -> a.json() != null && a.json().isArray() && a.json().isEmpty());
                if ((anyError || empty) && !successData) {
                    return Finding.pass(name(), empty ? "empty answer" : "error answered: " + codes.stream().distinct().toList());
                }
                return Finding.fail(name(), "expected an error but the device answered success"
                        + (successData ? " with biometric data" : "") + " " + codes);
            }
            default -> {
                if (codes.contains(wanted) && !successData) {
                    return Finding.pass(name(), "errorCode \"" + wanted + "\" as expected");
                }
                return Finding.fail(name(), "expected errorCode \"" + wanted + "\"" + describe(List.of(wanted))
                        + " but the device answered " + (codes.isEmpty() ? "no error object" : codes.stream().distinct().toList())
                        + (httpError ? " (HTTP error status)" : ""));
            }
        }
    }

    static String describe(List<String> codes) {
        StringBuilder b = new StringBuilder();
        for (String c : codes) {
            String meaning = switch (c) {
                case "100" -> "not registered";
                case "101" -> "no biometric object detected";
                case "102" -> "extraction error";
                case "106" -> "device not found";
                case "108" -> "domain key missing";
                case "109" -> "requested count not supported";
                case "110" -> "not ready";
                case "111" -> "device busy";
                case "112" -> "invalid transaction id";
                case "202" -> "no device (stream)";
                default -> null;
            };
            if (meaning != null) {
                b.append(b.length() == 0 ? " (" : ", ").append(c).append(" = ").append(meaning);
            }
        }
        return b.length() == 0 ? "" : b.append(")").toString();
    }
}
