package org.stationtrust.server.internal.boot;

import java.util.Optional;

/**
 * When a machine's judged boot state counts as changed, for the {@code machine.boot_state_changed} notification
 * (docs/measured-boot.md, "Notifications"): the accepted boot's content changed ({@code PASSED_CHANGED}), or the
 * verdict moved between passing and a refusal, or from one refusal to another. The same verdict again (a boot
 * refused at every attestation, an unchanged boot passing) is not news, so a fleet is not flooded.
 */
final class BootStateChange {
    private static final int MAX_DETAIL = 480;

    private BootStateChange() {
    }

    /**
     * The notification's text when this verdict changes the machine's boot state, else empty.
     *
     * @param previous the result of the verdict this one replaces (its wire name), empty when none was judged
     */
    static Optional<String> detail(Optional<String> previous, BootVerdict v) {
        BootVerdict.Result now = v.result();
        String before = previous.orElse("none");
        if (now == BootVerdict.Result.PASSED_CHANGED) {
            return Optional.of(clip("boot " + before + " -> " + now.wire() + ": " + String.join("; ", v.changes())));
        }
        if (now.passed()) {
            // back to passing after a refusal; a first pass, or a pass after a pass, changes nothing
            return previous.filter(p -> !passed(p)).map(p -> "boot " + p + " -> " + now.wire());
        }
        if (previous.isPresent() && previous.get().equals(now.wire())) {
            return Optional.empty();
        }
        return Optional.of(clip("boot " + before + " -> " + now.wire() + v.rule().map(r -> " (rule " + r + ")")
                .orElse("") + ": " + v.message()));
    }

    private static boolean passed(String wire) {
        return BootVerdict.Result.PASSED.wire().equals(wire) || BootVerdict.Result.PASSED_CHANGED.wire().equals(wire);
    }

    private static String clip(String s) {
        return s.length() > MAX_DETAIL ? s.substring(0, MAX_DETAIL) + "..." : s;
    }
}
