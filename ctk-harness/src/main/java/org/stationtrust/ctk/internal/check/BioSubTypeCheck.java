package org.stationtrust.ctk.internal.check;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.stationtrust.sbi.client.Modality;

/**
 * Per request: as many elements as the requested count, each bioSubType within the requested set
 * (or the segment when none was named) minus the exceptions, no subtype twice (UNKNOWN excepted).
 */
public final class BioSubTypeCheck implements Check {

    @Override
    public String name() {
        return "bio-subtype";
    }

    @Override
    public Finding judge(Observation o, JudgingRules rules) {
        if (o.sent.isEmpty()) {
            return Finding.notEvaluated(name(), "no capture request was sent");
        }
        List<String> problems = new ArrayList<>();
        int judged = 0;
        for (Observation.SentCapture sent : o.sent) {
            List<Observation.CaptureElement> mine = o.elements.stream()
                    .filter(e -> e.request() == sent.index()).toList();
            int asked = sent.body().path("bio").path(0).path("count").asInt(-1);
            if (mine.isEmpty() && o.testCase().expect().success() && asked > 0
                    && o.answers.stream().anyMatch(a -> a.exchange() == sent.exchange() && a.json() != null)) {
                judged++;
                problems.add("capture " + (sent.index() + 1) + " asked for count " + asked
                        + " but got 0 elements (wrong count)");
                continue;
            }
            if (mine.isEmpty() || mine.stream().noneMatch(Observation.CaptureElement::success)) {
                continue;
            }
            judged++;
            JsonNode bio = sent.body().path("bio").path(0);
            String where = "capture " + (sent.index() + 1);
            int count = bio.path("count").asInt(-1);
            if (count >= 0 && mine.size() != count) {
                problems.add(where + " asked for count " + count + " but got " + mine.size() + " elements (wrong count)");
            }
            List<String> requested = strings(bio.path("bioSubType"));
            List<String> exceptions = strings(bio.path("exception"));
            String type = bio.path("type").asText("");
            List<String> allowed = new ArrayList<>(requested.isEmpty() || requested.stream().allMatch("UNKNOWN"::equals)
                    ? Segments.of(type, o.device() == null ? "" : o.device().subType(), bio.path("deviceSubId").asText("0"))
                    : requested);
            if (requested.contains("UNKNOWN")) {
                allowed.add("UNKNOWN");
            }
            allowed.removeAll(exceptions);
            Set<String> seen = new HashSet<>();
            for (Observation.CaptureElement e : mine) {
                if (e.payload() == null) {
                    continue;
                }
                String sub = e.payload().path("bioSubType").asText(null);
                if ("Face".equals(type)) {
                    if (!Modality.isNoFaceSubType(sub)) {
                        problems.add(where + " face element names bioSubType '" + SchemaCheck.abbreviate(sub) + "' (face has none)");
                    }
                    continue;
                }
                if (sub == null || !allowed.contains(sub)) {
                    problems.add(where + " element " + e.index() + " bioSubType '" + (sub == null ? null : SchemaCheck.abbreviate(sub))
                            + "' was not requested "
                            + "(allowed " + allowed + ", wrong bioSubType)");
                } else if (!"UNKNOWN".equals(sub) && !seen.add(sub)) {
                    problems.add(where + " bioSubType '" + sub + "' appears twice (duplicate bioSubType)");
                }
            }
        }
        if (judged == 0) {
            return Finding.notEvaluated(name(), "no successful capture to count");
        }
        return Finding.of(name(), problems, "counts and bioSubTypes match the requests");
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null && array.isArray()) {
            array.forEach(n -> out.add(n.asText()));
        }
        return out;
    }
}
