package org.stationtrust.server.internal.notify;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * A webhook URL an admin may configure, and the addresses the server may call. Only http and https; no user
 * information in the URL (it would end up in logs); and, unless the server runs with
 * {@code --webhook-allow-private-targets}, no host resolving to a loopback, private, link-local, carrier-grade NAT,
 * unique-local, multicast or unspecified address: otherwise whoever holds the admin role could make the server
 * call services reachable only from inside (SSRF). The address is checked when the webhook is created and again
 * before every delivery, since DNS answers change.
 */
public final class WebhookTarget {
    private final URI uri;

    private WebhookTarget(URI uri) {
        this.uri = uri;
    }

    public URI uri() {
        return uri;
    }

    /** Thrown for a URL or address the policy refuses; the message says which rule and what to do. */
    public static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    /** Parses and checks the URL's form (scheme, host, no credentials, at most 2048 characters). */
    public static WebhookTarget parse(String url) throws Refused {
        if (url == null || url.isBlank() || url.length() > 2048) {
            throw new Refused("url must be an http or https URL of at most 2048 characters");
        }
        URI u;
        try {
            u = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new Refused("url is not a valid URI: " + e.getReason());
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new Refused("url scheme must be http or https, not '" + clip(scheme) + "'");
        }
        if (u.getHost() == null || u.getHost().isEmpty()) throw new Refused("url must name a host");
        if (u.getRawUserInfo() != null) throw new Refused("url must not carry a user name or password");
        if (u.getRawFragment() != null) throw new Refused("url must not carry a fragment");
        return new WebhookTarget(u);
    }

    /** Resolves the host and refuses it when any of its addresses is not public, unless private targets are allowed. */
    public void requireAllowedAddress(boolean privateTargetsAllowed) throws Refused {
        if (privateTargetsAllowed) return;
        InetAddress[] all;
        try {
            all = InetAddress.getAllByName(uri.getHost());
        } catch (UnknownHostException e) {
            throw new Refused("host " + clip(uri.getHost()) + " does not resolve");
        }
        for (InetAddress a : all) {
            if (!isPublic(a)) {
                throw new Refused("host " + clip(uri.getHost()) + " resolves to the non-public address "
                        + a.getHostAddress() + "; webhooks may call private or loopback addresses only when the "
                        + "server runs with --webhook-allow-private-targets (SSRF risk, see README)");
            }
        }
    }

    static boolean isPublic(InetAddress a) {
        if (a.isLoopbackAddress() || a.isAnyLocalAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress()) {
            return false;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet6Address) {
            return (b[0] & 0xfe) != 0xfc; // fc00::/7 unique local (RFC 4193)
        }
        int first = b[0] & 0xff, second = b[1] & 0xff;
        if (first == 100 && second >= 64 && second <= 127) return false; // 100.64.0.0/10 carrier-grade NAT (RFC 6598)
        if (first == 0 || first >= 240) return false;                    // "this network", reserved and broadcast
        return !(first == 198 && (second == 18 || second == 19));        // 198.18.0.0/15 benchmarking (RFC 2544)
    }

    private static String clip(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
