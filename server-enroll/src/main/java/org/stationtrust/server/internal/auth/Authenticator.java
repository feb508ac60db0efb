package org.stationtrust.server.internal.auth;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.stationtrust.server.Role;
import org.stationtrust.server.internal.store.CredentialStore;
import org.stationtrust.server.internal.store.UserStore;

/** Operators log in with a password (page sessions) or present an API token (bearer). */
public final class Authenticator {
    public static final String SESSION_COOKIE = "st_session";
    public static final String SESSION_PREFIX = "sts_";
    public static final String API_TOKEN_PREFIX = "sta_";

    private final UserStore users;
    private final CredentialStore credentials;
    private final PasswordHasher hasher;
    private final Duration sessionTtl;
    private final String dummyHash;

    public Authenticator(UserStore users, CredentialStore credentials, PasswordHasher hasher, Duration sessionTtl) {
        this.users = users;
        this.credentials = credentials;
        this.hasher = hasher;
        this.sessionTtl = sessionTtl;
        this.dummyHash = hasher.hash("no-such-user-placeholder".toCharArray());
    }

    public record Session(String token, String csrfToken, Caller caller) {
    }

    /** A new session for the right password; empty otherwise (unknown users cost the same time). */
    public Optional<Session> login(String username, char[] password) {
        Optional<UserStore.User> user = username == null ? Optional.empty() : users.find(username);
        String hash = user.map(UserStore.User::passwordHash).orElse(dummyHash);
        boolean ok = hasher.matches(password, hash) && user.isPresent() && !user.get().disabled();
        if (!ok) return Optional.empty();
        String token = Secrets.newToken(SESSION_PREFIX);
        String csrf = Secrets.newToken("");
        credentials.createSession(Secrets.digest(token), user.get().username(), csrf,
                System.currentTimeMillis() + sessionTtl.toMillis());
        return Optional.of(new Session(token, csrf, new Caller(user.get().username(), user.get().role(), "session",
                csrf)));
    }

    public void logout(String sessionToken) {
        if (sessionToken != null) credentials.deleteSession(Secrets.digest(sessionToken));
    }

    /**
     * Ends the live session this cookie names, if any, and says whose it was: a browser that signs in again keeps
     * one session, not two (docs/server-api.md, "Operator API"). Other browsers' sessions are left alone.
     */
    public Optional<Caller> endSession(String cookieValue) {
        Optional<Caller> owner = fromSession(cookieValue);
        owner.ifPresent(o -> credentials.deleteSession(Secrets.digest(cookieValue)));
        return owner;
    }

    public Optional<Caller> fromSession(String cookieValue) {
        if (cookieValue == null || !cookieValue.startsWith(SESSION_PREFIX) || cookieValue.length() > 100) {
            return Optional.empty();
        }
        return credentials.session(Secrets.digest(cookieValue), System.currentTimeMillis())
                .map(p -> new Caller(p.username(), p.role(), "session", p.csrfToken()));
    }

    public Optional<Caller> fromAuthorizationHeader(String header) {
        if (header == null || !header.startsWith("Bearer ")) return Optional.empty();
        String token = header.substring("Bearer ".length()).strip();
        if (!token.startsWith(API_TOKEN_PREFIX) || token.length() > 100) return Optional.empty();
        return credentials.apiToken(Secrets.digest(token), System.currentTimeMillis())
                .map(p -> new Caller(p.username(), p.role(), "api-token", null));
    }

    /** Issues an API token for an existing user; the plain token is returned once and never stored. */
    public String issueApiToken(String username, String label, Duration ttl) {
        UserStore.User user = users.find(username).orElseThrow(() -> new IllegalArgumentException(
                "No user '" + username + "'; create it first with: user add " + username + " --role <role>"));
        if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(Duration.ofDays(90)) > 0) {
            throw new IllegalArgumentException("Token lifetime must be between 1 second and 90 days");
        }
        String token = Secrets.newToken(API_TOKEN_PREFIX);
        credentials.createApiToken(Secrets.newId(), Secrets.digest(token), user.username(), label,
                System.currentTimeMillis() + ttl.toMillis());
        return token;
    }

    public boolean createUser(String username, char[] password, Role role) {
        return users.create(username, hasher.hash(password), role);
    }

    public static boolean csrfMatches(Caller caller, String presented) {
        if (caller.csrfToken() == null || presented == null) return false;
        return MessageDigest.isEqual(caller.csrfToken().getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8));
    }
}
