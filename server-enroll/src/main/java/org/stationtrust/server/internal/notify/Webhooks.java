package org.stationtrust.server.internal.notify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.stationtrust.logging.UrlRedaction;
import org.stationtrust.protocol.ErrorCode;
import org.stationtrust.server.ServerConfig;
import org.stationtrust.server.internal.audit.AuditLog;
import org.stationtrust.server.internal.audit.AuditOutcome;
import org.stationtrust.server.internal.auth.Caller;
import org.stationtrust.server.internal.auth.Secrets;
import org.stationtrust.server.internal.http.ApiException;
import org.stationtrust.server.internal.store.WebhookStore;

/**
 * Webhooks an admin configures, and the outbox side of their deliveries: {@link #emit} writes one delivery per
 * subscribed webhook in the transaction of the change (so the event exists exactly when the change committed), and
 * {@link WebhookCourier} sends them. Every configuration change is audited.
 */
public final class Webhooks implements FleetEvents {
    /** Shortest secret accepted: 32 characters, e.g. {@code openssl rand -base64 33}. */
    static final int MIN_SECRET = 32;
    private final WebhookStore store;
    private final AuditLog audit;
    private final ServerConfig.WebhookPolicy policy;

    public Webhooks(WebhookStore store, AuditLog audit, ServerConfig.WebhookPolicy policy) {
        this.store = store;
        this.audit = audit;
        this.policy = policy;
    }

    public WebhookStore store() {
        return store;
    }

    /** A webhook as an admin asks for it: URL, the events it wants, and the shared secret (generated when absent). */
    public record NewWebhook(String url, List<String> events, String secret) {
    }

    /** Creates a webhook; answers it with its secret (shown this once: it is never listed again). */
    public WebhookStore.Webhook create(Caller who, NewWebhook w) {
        WebhookTarget target;
        try {
            target = WebhookTarget.parse(w.url());
            target.requireAllowedAddress(policy.allowPrivateTargets());
        } catch (WebhookTarget.Refused e) {
            audit.append(who.username(), "webhook.create", clip(UrlRedaction.of(w.url())), AuditOutcome.REFUSED,
                    e.getMessage());
            throw new ApiException(ErrorCode.INVALID_FIELD, e.getMessage());
        }
        Set<FleetEventType> events = parseEvents(w.events());
        String secret = w.secret() == null ? Secrets.newToken("whsec_") : w.secret();
        if (secret.length() < MIN_SECRET || secret.length() > 256) {
            throw new ApiException(ErrorCode.INVALID_FIELD, "secret must be 32 to 256 characters (or left out: the "
                    + "server then generates one and shows it once)");
        }
        WebhookStore.Webhook created = new WebhookStore.Webhook(Secrets.newId(), target.uri().toString(),
                events.stream().map(FleetEventType::wire).collect(Collectors.joining(",")), secret, who.username(),
                System.currentTimeMillis(), null);
        store.create(created);
        // The URL may hold the receiver's credential: the audit row gets its redacted form (docs/server-api.md).
        audit.append(who.username(), "webhook.create", created.id(), AuditOutcome.OK,
                UrlRedaction.of(created.url()) + " for " + created.events());
        return created;
    }

    private static Set<FleetEventType> parseEvents(List<String> names) {
        if (names == null || names.isEmpty()) {
            throw new ApiException(ErrorCode.INVALID_FIELD, "events must list at least one of "
                    + FleetEventType.wireNames());
        }
        Set<FleetEventType> out = EnumSet.noneOf(FleetEventType.class);
        for (String n : names) {
            try {
                out.add(FleetEventType.parse(n));
            } catch (IllegalArgumentException e) {
                throw new ApiException(ErrorCode.INVALID_FIELD, e.getMessage());
            }
        }
        return out;
    }

    public void disable(Caller who, String id) {
        if (!store.disable(id, System.currentTimeMillis())) {
            throw new ApiException(ErrorCode.NOT_FOUND, "No enabled webhook with that id");
        }
        audit.append(who.username(), "webhook.disable", id, AuditOutcome.OK,
                "disabled; its pending deliveries are still sent");
    }

    @Override
    public void emit(Connection c, FleetEvent event) throws SQLException {
        List<WebhookStore.Webhook> targets = new ArrayList<>();
        for (WebhookStore.Webhook w : store.enabled(c)) {
            if (List.of(w.events().split(",")).contains(event.type().wire())) targets.add(w);
        }
        for (WebhookStore.Webhook w : targets) {
            String deliveryId = Secrets.newTimeOrderedId();
            store.enqueue(c, deliveryId, w.id(), event.eventId(), event.type().wire(), event.machineId(),
                    body(deliveryId, event), event.occurredAtMillis());
        }
    }

    /** The JSON a receiver gets (docs/server-api.md, "Webhooks"); fixed when queued, so every retry is identical. */
    static String body(String deliveryId, FleetEvent e) {
        ObjectNode o = org.stationtrust.protocol.WireJson.strict().createObjectNode();
        o.put("deliveryId", deliveryId);
        o.put("eventId", e.eventId());
        o.put("type", e.type().wire());
        o.put("occurredAt", Instant.ofEpochMilli(e.occurredAtMillis()).toString());
        ObjectNode m = o.putObject("machine");
        m.put("id", e.machineId());
        m.put("name", e.machineName());
        o.put("detail", e.detail());
        return o.toString();
    }

    private static String clip(String s) {
        return s.length() > 120 ? s.substring(0, 120) : s;
    }
}
