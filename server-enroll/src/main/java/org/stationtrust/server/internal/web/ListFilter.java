package org.stationtrust.server.internal.web;

import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.stationtrust.protocol.EnrollmentState;
import org.stationtrust.protocol.ErrorCode;
import org.stationtrust.server.internal.http.ApiException;
import org.stationtrust.server.internal.store.AttestationStatus;
import org.stationtrust.server.internal.store.MachineSearch;

/**
 * The machine list's query string as typed (echoed back into the filter form) and parsed at the edge into a
 * {@link MachineSearch}; anything malformed is refused with what was wrong. Dates are UTC days.
 */
public record ListFilter(String q, String state, String attestation, String firmware, String from, String to,
                         String sort, String after, int size) {
    public static final int DEFAULT_SIZE = 50;
    public static final List<String> STATES = java.util.Arrays.stream(EnrollmentState.values()).map(Enum::name).toList();
    public static final List<String> ATTESTATIONS = java.util.Arrays.stream(AttestationStatus.values()).map(Enum::name)
            .toList();
    public static final List<String> SORTS = java.util.Arrays.stream(MachineSearch.Sort.values())
            .map(MachineSearch.Sort::wire).toList();

    public static ListFilter from(Context ctx) {
        String size = ctx.queryParam("size");
        int n = DEFAULT_SIZE;
        if (size != null && !size.isEmpty()) {
            try {
                n = Integer.parseInt(size);
            } catch (NumberFormatException e) {
                throw invalid("size must be a number 1.." + MachineSearch.MAX_SIZE);
            }
        }
        return new ListFilter(param(ctx, "q"), param(ctx, "state"), param(ctx, "attestation"), param(ctx, "firmware"),
                param(ctx, "from"), param(ctx, "to"), param(ctx, "sort"), param(ctx, "after"), n);
    }

    private static String param(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v != null && v.length() > 400) throw invalid(name + " is longer than 400 characters");
        return v == null ? "" : v;
    }

    public MachineSearch search() {
        try {
            return new MachineSearch(q, state.isEmpty() ? null : EnrollmentState.parse(state),
                    attestation.isEmpty() ? null : AttestationStatus.fromQuery(attestation), firmware, day(from, "from"), day(to, "to"),
                    MachineSearch.Sort.parse(sort), MachineSearch.Cursor.decode(after), size);
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage());
        }
    }

    /** Start of the UTC day; "to" is inclusive, so it bounds at the start of the next day. */
    private static Long day(String text, String name) {
        if (text.isEmpty()) return null;
        try {
            LocalDate d = LocalDate.parse(text);
            return (name.equals("to") ? d.plusDays(1) : d).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            throw invalid(name + " must be a date as YYYY-MM-DD");
        }
    }

    /** This filter's query string with another cursor (null: the first page). */
    public String href(String cursor) {
        StringBuilder b = new StringBuilder("/admin/machines?");
        add(b, "q", q);
        add(b, "state", state);
        add(b, "attestation", attestation);
        add(b, "firmware", firmware);
        add(b, "from", from);
        add(b, "to", to);
        add(b, "sort", sort);
        if (size != DEFAULT_SIZE) add(b, "size", Integer.toString(size));
        if (cursor != null) add(b, "after", cursor);
        String s = b.toString();
        return s.endsWith("&") || s.endsWith("?") ? s.substring(0, s.length() - 1) : s;
    }

    private static void add(StringBuilder b, String name, String value) {
        if (value != null && !value.isEmpty()) {
            b.append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8)).append('&');
        }
    }

    public boolean firstPage() {
        return after.isEmpty();
    }

    private static ApiException invalid(String message) {
        return new ApiException(ErrorCode.INVALID_FIELD, message);
    }
}
