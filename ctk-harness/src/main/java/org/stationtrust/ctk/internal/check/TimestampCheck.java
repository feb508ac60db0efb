package org.stationtrust.ctk.internal.check;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.stationtrust.ctk.internal.device.Exchange;
import org.stationtrust.ctk.internal.device.ExchangeTimes;
import org.stationtrust.sbi.client.SbiTimestamp;

/**
 * Capture timestamps and signed digitalId dateTimes are written exactly {@code yyyy-MM-ddTHH:mm:ssZ}
 * (SBI 0.9.5 glossary; MOSIP's TimeCheckValidator parses only that form) and lie between the request
 * and the answer, give or take the allowed skew (180 s in the mosip profile). Both directions are
 * judged: the backward bound is our addition (MOSIP checks only how far ahead the stamp is).
 */
public final class TimestampCheck implements Check {

    @Override
    public String name() {
        return "timestamp";
    }

    /** The station's own reading of an SBI timestamp (sbi-client), so both sides judge a clock alike. */
    public static Optional<Instant> parseUtc(String text) {
        return SbiTimestamp.parseUtc(text);
    }

    @Override
    public Finding judge(Observation o, JudgingRules rules) {
        List<Observation.CaptureElement> elements = o.successfulElements();
        List<String> problems = new ArrayList<>();
        List<String> judgedStamps = new ArrayList<>();
        Duration skew = rules.allowedSkew();
        int judged = elements.size();
        // Device info carries the device clock too: its signed digitalId's dateTime.
        List<Exchange> infoExchanges = o.timed.stream().map(Observation.Timed::exchange)
                .filter(e -> e.verb().equals("MOSIPDINFO")).toList();
        for (int i = 0; i < o.infos.size() && i < infoExchanges.size(); i++) {
            Observation.InfoEntry info = o.infos.get(i);
            if (info.payload() == null || !"0".equals(info.errorCode())) {
                continue;
            }
            ExchangeTimes window = infoExchanges.get(i).times();
            AnswerFields.digitalId(info.payload().path("digitalId").asText(null)).ifPresent(id ->
                    judge("deviceInfo.digitalId.dateTime", id.path("dateTime").asText(null), window, skew, problems, judgedStamps));
            judged++;
        }
        if (judged == 0) {
            return Finding.notEvaluated(name(), "no answer with a timestamp");
        }
        for (Observation.CaptureElement e : elements) {
            if (e.payload() == null || e.request() >= o.sent.size()) {
                continue;
            }
            ExchangeTimes window = o.sent.get(e.request()).exchange().times();
            String where = "biometrics[" + e.index() + "]";
            judge(where + ".timestamp", e.payload().path("timestamp").asText(null), window, skew, problems, judgedStamps);
            AnswerFields.digitalId(e.payload().path("digitalId").asText(null)).ifPresent(id ->
                    judge(where + ".digitalId.dateTime", id.path("dateTime").asText(null), window, skew, problems, judgedStamps));
        }
        return Finding.of(name(), problems, "timestamps are UTC and within +/-" + skew.toSeconds()
                + " s of the exchange (earliest accepted: request sent - skew - 1 s, stamps being whole seconds;"
                + " latest: answer received + skew): " + String.join("; ", judgedStamps));
    }

    private static final java.util.regex.Pattern WIRE_FORM =
            java.util.regex.Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");

    /**
     * Judges one stamp against its exchange. Every finding names the instants compared (the stamp, when
     * the request was sent, when the answer was received, the skew and the bound) so that a lab can
     * recompute the verdict from the report's exchange record alone.
     */
    private static void judge(String where, String value, ExchangeTimes exchange, Duration skew,
                              List<String> problems, List<String> judgedStamps) {
        if (value != null && !WIRE_FORM.matcher(value).matches() && parseUtc(value).isPresent()) {
            problems.add(where + " '" + SchemaCheck.abbreviate(value) + "' is not written yyyy-MM-ddTHH:mm:ssZ"
                    + " (fractions of a second or an offset instead of Z)");
            return;
        }
        Optional<Instant> ts = parseUtc(value);
        if (ts.isEmpty()) {
            problems.add(where + " '" + (value == null ? "missing" : SchemaCheck.abbreviate(value))
                    + "' is not an ISO 8601 UTC date-time");
            return;
        }
        Instant sent = exchange.sent();
        Instant answered = exchange.ended();
        Instant earliest = sent.minus(skew).minusSeconds(1); // whole-second stamps round down
        Instant latest = answered.plus(skew);
        String compared = "request sent " + ExchangeTimes.utcMillis(sent) + ", answer received "
                + ExchangeTimes.utcMillis(answered) + ", allowed skew " + skew.toSeconds() + " s";
        if (ts.get().isBefore(earliest)) {
            problems.add(where + " " + value + " is " + seconds(Duration.between(ts.get(), sent))
                    + " s before the request (stale timestamp; " + compared + ", earliest accepted "
                    + ExchangeTimes.utcMillis(earliest) + " = request sent - skew - 1 s)");
        } else if (ts.get().isAfter(latest)) {
            problems.add(where + " " + value + " is " + seconds(Duration.between(answered, ts.get()))
                    + " s after the answer (future timestamp; " + compared + ", latest accepted "
                    + ExchangeTimes.utcMillis(latest) + " = answer received + skew)");
        } else {
            judgedStamps.add(where + " " + value + " (request sent " + ExchangeTimes.utcMillis(sent)
                    + ", answer received " + ExchangeTimes.utcMillis(answered) + ")");
        }
    }

    /** Seconds with the milliseconds the report's instants carry, e.g. "3599.750". */
    private static String seconds(Duration d) {
        return java.math.BigDecimal.valueOf(d.toMillis(), 3).toPlainString();
    }
}
