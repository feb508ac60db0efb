package org.stationtrust.server.internal.web;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Machine names come from stations. Escaping keeps their markup text; this flags what escaping cannot: invisible
 * format characters (Unicode category Cf: zero-width spaces and joiners, bidi overrides and isolates), with which
 * one name can look like another or reorder what follows it. The page isolates names in {@code <bdi>} as well.
 */
final class Names {
    private Names() {
    }

    /**
     * Station-supplied text other than a name (boot log strings, failure details) with every invisible or
     * direction-changing character (Unicode categories Cc, Cf, and lone surrogates) spelled out as {@code [U+XXXX]} where
     * it stood, so the text reads as it is and nothing in it can reorder or hide what follows; null stays null.
     */
    static String spelled(String text) {
        if (text == null) return null;
        StringBuilder b = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            int type = Character.getType(cp);
            if (type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE) {
                b.append(String.format(Locale.ROOT, "[U+%04X]", cp));
            } else {
                b.appendCodePoint(cp);
            }
        });
        return b.toString();
    }

    /** A warning naming the invisible characters in {@code name} (e.g. "U+202E"), or null when it has none. */
    static String invisibleWarning(String name) {
        if (name == null) return null;
        Set<String> found = new LinkedHashSet<>();
        name.codePoints().filter(cp -> Character.getType(cp) == Character.FORMAT)
                .forEach(cp -> found.add(String.format(Locale.ROOT, "U+%04X", cp)));
        return found.isEmpty() ? null : "The name contains invisible or direction-changing characters ("
                + String.join(", ", found) + "): it may look like another name.";
    }
}
