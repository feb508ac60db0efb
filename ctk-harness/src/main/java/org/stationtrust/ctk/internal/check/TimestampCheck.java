package org.stationtrust.ctk.internal.check;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
        Duration skew = rules.allowedSkew();
        int judged = elements.size();
        // Device info carries the device clock too: its signed digitalId's dateTime.
        List<Observation.Timed> infoExchanges = o.timed.stream().filter(t -> t.exchange().verb().equals("MOSIPDINFO")).toList();
        for (int i = 0; i < o.infos.size() && i < infoExchanges.size(); i++) {
            Observation.InfoEntry info = o.infos.get(i);
            if (info.payload() == null || !"0".equals(info.errorCode())) {
                continue;
            }
            Observation.Timed t = infoExchanges.get(i);
            var window = new Observation.SentCapture(-1, null, null, null, t.startedAt(), t.endedAt(), t.exchange());
            AnswerFields.digitalId(info.payload().path("digitalId").asText(null)).ifPresent(id ->
                    judge("deviceInfo.digitalId.dateTime", id.path("dateTime").asText(null), window, skew, problems));
            judged++;
        }
        if (judged == 0) {
            return Finding.notEvaluated(name(), "no answer with a timestamp");
        }
        for (Observation.CaptureElement e : elements) {
            if (e.payload() == null || e.request() >= o.sent.size()) {
                continue;
            }
            Observation.SentCapture sent = o.sent.get(e.request());
            String where = "biometrics[" + e.index() + "]";
            judge(where + ".timestamp", e.payload().path("timestamp").asText(null), sent, skew, problems);
            AnswerFields.digitalId(e.payload().path("digitalId").asText(null)).ifPresent(id ->
                    judge(where + ".digitalId.dateTime", id.path("dateTime").asText(null), sent, skew, problems));
        }
        return Finding.of(name(), problems, "timestamps are UTC and within +/-" + skew.toSeconds() + " s of the exchange");
    }

    private static final java.util.regex.Pattern WIRE_FORM =
            java.util.regex.Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");

    private static void judge(String where, String value, Observation.SentCapture sent, Duration skew, List<String> problems) {
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
        Instant earliest = sent.sentAt().minus(skew).minusSeconds(1); // whole-second stamps round down
        Instant latest = sent.answeredAt().plus(skew);
        if (ts.get().isBefore(earliest)) {
            problems.add(where + " " + value + " is " + Duration.between(ts.get(), sent.sentAt()).toSeconds()
                    + " s before the request (stale timestamp, allowed skew " + skew.toSeconds() + " s)");
        } else if (ts.get().isAfter(latest)) {
            problems.add(where + " " + value + " is " + Duration.between(sent.answeredAt(), ts.get()).toSeconds()
                    + " s after the answer (future timestamp, allowed skew " + skew.toSeconds() + " s)");
        }
    }
}
