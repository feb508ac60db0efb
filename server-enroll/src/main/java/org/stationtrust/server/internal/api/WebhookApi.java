package org.stationtrust.server.internal.api;

import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;

import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import org.stationtrust.logging.UrlRedaction;
import org.stationtrust.server.Role;
import org.stationtrust.server.ServerConfig;
import org.stationtrust.server.internal.auth.AdminRoute;
import org.stationtrust.server.internal.auth.Caller;
import org.stationtrust.server.internal.http.Bodies;
import org.stationtrust.server.internal.http.JsonBodies;
import org.stationtrust.server.internal.notify.Webhooks;
import org.stationtrust.server.internal.store.DeliveryStatus;
import org.stationtrust.server.internal.store.WebhookStore;

/** Operator routes of webhooks: admins configure them, auditors read the delivery log. Part of the route table. */
public final class WebhookApi {
    /** What this class uses of the running server (wired in {@code ServerRoutes}), nothing else. */
    public record Parts(ServerConfig config, Webhooks webhooks) {
    }

    private final Parts c;

    public WebhookApi(Parts c) {
        this.c = c;
    }

    public List<AdminRoute> routes() {
        List<AdminRoute> r = new ArrayList<>();
        r.add(api(GET, "/api/v1/admin/webhooks", Role.ADMIN, (ctx, who) -> ctx.json(new Hooks(
                c.webhooks().store().list().stream().map(WebhookView::of).toList()))));
        r.add(api(POST, "/api/v1/admin/webhooks", Role.ADMIN, this::create));
        r.add(api(POST, "/api/v1/admin/webhooks/{id}/disable", Role.ADMIN, (ctx, who) -> {
            c.webhooks().disable(who, ctx.pathParam("id"));
            ctx.json(new Views.StatusChanged<>(ctx.pathParam("id"), WebhookStore.Webhook.Status.DISABLED));
        }));
        r.add(api(GET, "/api/v1/admin/webhooks/deliveries", Role.AUDITOR, (ctx, who) -> ctx.json(new Deliveries(
                c.webhooks().store().recent(AdminApi.limit(ctx, 100)).stream().map(DeliveryView::of).toList()))));
        return r;
    }

    private static AdminRoute api(io.javalin.http.HandlerType m, String path, Role role, AdminRoute.Action a) {
        return new AdminRoute(m, path, role, AdminRoute.Surface.API, a);
    }

    private void create(Context ctx, Caller who) {
        Webhooks.NewWebhook w = JsonBodies.parse(Bodies.json(ctx, c.config().maxBodyBytes()), Webhooks.NewWebhook.class);
        WebhookStore.Webhook created = c.webhooks().create(who, w);
        ctx.status(201).json(CreatedWebhook.of(created));
    }

    /** GET /api/v1/admin/webhooks. */
    public record Hooks(List<WebhookView> webhooks) {
    }

    /**
     * A webhook as listed: never its secret, and its URL redacted (it may carry the receiver's credential in its path
     * or query): scheme, host, port, leading path and a fingerprint.
     */
    public record WebhookView(String id, String url, List<String> events, String createdBy, String createdAt,
                              WebhookStore.Webhook.Status status) {
        static WebhookView of(WebhookStore.Webhook w) {
            return new WebhookView(w.id(), UrlRedaction.of(w.url()), List.of(w.events().split(",")), w.createdBy(),
                    Views.time(w.createdAt()), w.status());
        }
    }

    /**
     * A webhook just created: the listed fields with the URL whole, as the admin typed it, and its secret, both shown
     * this once (the receiver checks signatures).
     */
    public record CreatedWebhook(String id, String url, List<String> events, String createdBy, String createdAt,
                                 WebhookStore.Webhook.Status status, String secret) {
        static CreatedWebhook of(WebhookStore.Webhook w) {
            WebhookView v = WebhookView.of(w);
            return new CreatedWebhook(v.id(), w.url(), v.events(), v.createdBy(), v.createdAt(), v.status(), w.secret());
        }
    }

    /** GET /api/v1/admin/webhooks/deliveries. */
    public record Deliveries(List<DeliveryView> deliveries) {
    }

    /** One row of the delivery log: where it stands, never the body (it is in the receiver's hands). */
    public record DeliveryView(String id, String webhookId, String eventId, String event, String machineId,
                               DeliveryStatus status, int attempts, String createdAt, String lastAttemptAt,
                               Integer lastHttpStatus, String lastError, String nextAttemptAt, String deliveredAt) {
        public static DeliveryView of(WebhookStore.Delivery d) {
            return new DeliveryView(d.id(), d.webhookId(), d.eventId(), d.event(), d.machineId(), d.status(),
                    d.attempts(), Views.time(d.createdAt()), Views.time(d.lastAttemptAt()), d.lastStatus(), d.lastError(),
                    d.status() == DeliveryStatus.PENDING ? Views.time(d.nextAttemptAt()) : null,
                    Views.time(d.deliveredAt()));
        }
    }
}
