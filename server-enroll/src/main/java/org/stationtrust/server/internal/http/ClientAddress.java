package org.stationtrust.server.internal.http;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The client a per-address limit counts (connections, requests in progress, rate limits, failed checks): an IPv4
 * address, or an IPv6 address's /64. One IPv6 subscriber or host is routinely given a whole /64 and can send from any
 * of its 2^64 addresses, so a limit per IPv6 address would bind nobody (RFC 6177, RFC 7934). Audit rows and log lines
 * keep the exact address; only limits use this key.
 */
public final class ClientAddress {
    private ClientAddress() {
    }

    /**
     * {@code "ip:" + address} for IPv4 (and an IPv4-mapped IPv6 address, as its IPv4 form), {@code "ip6:<first 64
     * bits>::/64"} for IPv6; anything that is not an address literal is kept whole, so it can only ever be its own key.
     */
    public static String limitKey(String address) {
        if (address == null || address.indexOf(':') < 0) {
            return "ip:" + address;
        }
        String literal = address.startsWith("[") && address.endsWith("]")
                ? address.substring(1, address.length() - 1) : address;
        int zone = literal.indexOf('%');
        if (zone >= 0) literal = literal.substring(0, zone);
        if (!literal.chars().allMatch(ch -> ch == ':' || ch == '.' || Character.digit(ch, 16) >= 0)) {
            return "ip:" + address;
        }
        InetAddress parsed;
        try {
            // a string with a colon is parsed as an IPv6 literal; no name is ever looked up
            parsed = InetAddress.getByName(literal);
        } catch (UnknownHostException | SecurityException e) {
            return "ip:" + address;
        }
        if (!(parsed instanceof Inet6Address)) {
            return "ip:" + parsed.getHostAddress();
        }
        byte[] a = parsed.getAddress();
        StringBuilder key = new StringBuilder("ip6:");
        for (int i = 0; i < 8; i += 2) {
            key.append(Integer.toHexString(((a[i] & 0xff) << 8) | (a[i + 1] & 0xff))).append(':');
        }
        return key.append(":/64").toString();
    }
}
