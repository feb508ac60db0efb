package org.stationtrust.agent.internal.capture;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.stationtrust.agent.internal.config.StorageUnavailable;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.stationtrust.agent.internal.atrest.PayloadCipher;
import org.stationtrust.sbi.client.HashChain;

/**
 * Where each open registration's hash chain stands (docs/sbi-protocol.md "Hash chain"), kept in SQLite in the state
 * directory so a registration continues its chain after an agent restart. The last hash is derived from
 * biometric records, so it is stored AES-GCM sealed with the queue's TPM-sealed data key, bound to its
 * registration id. A chain not advanced for {@code lifetime} is forgotten: the next capture starts a new one.
 */
public final class RegistrationChains implements AutoCloseable {
    public static final String FILE = "chains.db";
    public static final Duration DEFAULT_LIFETIME = Duration.ofHours(24);
    private static final int LOCK_STRIPES = 64;
    private static final long SWEEP_EVERY_MILLIS = 60_000;

    private final Connection db;
    private final PayloadCipher cipher;
    private final Clock clock;
    private final Duration lifetime;
    private final Object[] locks = new Object[LOCK_STRIPES];
    /** Chains advanced by this agent, as committed: a capture reads its chain without a query and a decryption. */
    private final java.util.concurrent.ConcurrentHashMap<String, Recent> recent = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int RECENT = 4096;

    private record Recent(String hex, long updatedAt) {
    }

    /** When expired chains were last forgotten: a sweep per minute is enough for a 24-hour lifetime. */
    private long lastSweep = Long.MIN_VALUE;

    private RegistrationChains(Connection db, PayloadCipher cipher, Clock clock, Duration lifetime) {
        this.db = db;
        this.cipher = cipher;
        this.clock = clock;
        this.lifetime = lifetime;
        for (int i = 0; i < LOCK_STRIPES; i++) locks[i] = new Object();
    }

    public static RegistrationChains open(Path file, PayloadCipher cipher, Clock clock, Duration lifetime) throws IOException {
        if (!Files.exists(file)) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        try {
            Connection db = DriverManager.getConnection("jdbc:sqlite:" + file);
            try (Statement s = db.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=FULL");
                s.execute("PRAGMA busy_timeout=5000");
                s.execute("CREATE TABLE IF NOT EXISTS chains (registration_id TEXT PRIMARY KEY, sealed_hash BLOB NOT NULL,"
                        + " updated_at INTEGER NOT NULL)");
            }
            RegistrationChains chains = new RegistrationChains(db, cipher, clock, lifetime);
            chains.forgetExpired();
            return chains;
        } catch (SQLException e) {
            throw new IOException("cannot open the registration chains " + file + ": " + e.getMessage(), e);
        }
    }

    /** Serialises the captures of one registration (a chain advances one capture at a time). */
    public Object lockFor(String registrationId) {
        return locks[Math.floorMod(registrationId.hashCode(), LOCK_STRIPES)];
    }

    /** Where the registration's chain stands: its last verified hash, or the start of a new chain. */
    public HashChain current(String registrationId) {
        Recent recent = this.recent.get(registrationId);
        if (recent != null && recent.updatedAt() >= clock.millis() - lifetime.toMillis()) return HashChain.continueFrom(recent.hex());
        return stored(registrationId);
    }

    private synchronized HashChain stored(String registrationId) {
        try (PreparedStatement ps = db.prepareStatement("SELECT sealed_hash FROM chains WHERE registration_id = ? AND updated_at >= ?")) {
            ps.setString(1, registrationId);
            ps.setLong(2, clock.millis() - lifetime.toMillis());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return HashChain.start();
                Optional<String> hex = open(rs.getBytes(1), registrationId);
                // Unreadable (sealed by another TPM, or altered): a new chain, never a guessed continuation.
                return hex.map(HashChain::continueFrom).orElseGet(HashChain::start);
            }
        } catch (SQLException e) {
            throw new StorageUnavailable("cannot read the registration chains", e);
        }
    }

    /** Records the chain's new last hash after a verified capture. */
    public synchronized void advance(String registrationId, String lastHashHex) {
        byte[] sealed = cipher.seal(lastHashHex.getBytes(StandardCharsets.US_ASCII), context(registrationId));
        try (PreparedStatement ps = db.prepareStatement("INSERT INTO chains(registration_id, sealed_hash, updated_at) VALUES (?,?,?)"
                + " ON CONFLICT(registration_id) DO UPDATE SET sealed_hash = excluded.sealed_hash, updated_at = excluded.updated_at")) {
            ps.setString(1, registrationId);
            ps.setBytes(2, sealed);
            ps.setLong(3, clock.millis());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StorageUnavailable("cannot record the registration chain", e);
        }
        if (recent.size() >= RECENT) recent.clear();
        recent.put(registrationId, new Recent(lastHashHex, clock.millis()));
        if (clock.millis() - lastSweep >= SWEEP_EVERY_MILLIS) forgetExpired();
    }

    /**
     * Undoes {@link #advance} for a capture that was withdrawn (it could not be stored), so the next capture of the
     * registration continues from {@code previousHex}; does nothing if the chain no longer stands at
     * {@code withdrawnHex} (another capture of the registration moved it on).
     */
    public synchronized void rewind(String registrationId, String withdrawnHex, String previousHex) {
        if (current(registrationId).matches(withdrawnHex)) advance(registrationId, previousHex);
    }

    /** Registrations whose chain is still kept. */
    public synchronized long size() {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM chains")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new StorageUnavailable("cannot count the registration chains", e);
        }
    }

    private synchronized void forgetExpired() {
        lastSweep = clock.millis();
        try (PreparedStatement ps = db.prepareStatement("DELETE FROM chains WHERE updated_at < ?")) {
            ps.setLong(1, clock.millis() - lifetime.toMillis());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StorageUnavailable("cannot expire registration chains", e);
        }
    }

    private Optional<String> open(byte[] sealed, String registrationId) {
        try {
            String hex = new String(cipher.open(sealed, context(registrationId)), StandardCharsets.US_ASCII);
            return hex.matches("[0-9A-Fa-f]{64}") ? Optional.of(hex) : Optional.empty();
        } catch (PayloadCipher.UnreadablePayload e) {
            return Optional.empty();
        }
    }

    private static byte[] context(String registrationId) {
        return ("registration-chain\n" + registrationId).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void close() throws SQLException {
        db.close();
    }
}
