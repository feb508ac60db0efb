package org.stationtrust.server.internal.api;

import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;

import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.stationtrust.server.Role;
import org.stationtrust.server.ServerConfig;
import org.stationtrust.server.internal.auth.AdminRoute;
import org.stationtrust.server.internal.auth.Caller;
import org.stationtrust.server.internal.http.Bodies;
import org.stationtrust.server.internal.http.JsonBodies;
import org.stationtrust.server.internal.notify.Webhooks;
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
        r.add(api(GET, "/api/v1/admin/webhooks", Role.ADMIN, (ctx, who) -> ctx.json(Map.of("webhooks",
                c.webhooks().store().list().stream().map(WebhookApi::view).toList()))));
        r.add(api(POST, "/api/v1/admin/webhooks", Role.ADMIN, this::create));
        r.add(api(POST, "/api/v1/admin/webhooks/{id}/disable", Role.ADMIN, (ctx, who) -> {
            c.webhooks().disable(who, ctx.pathParam("id"));
            ctx.json(Map.of("id", ctx.pathParam("id"), "status", "DISABLED"));
        }));
        r.add(api(GET, "/api/v1/admin/webhooks/deliveries", Role.AUDITOR, (ctx, who) -> ctx.json(Map.of("deliveries",
                c.webhooks().store().recent(AdminApi.limit(ctx, 100)).stream().map(WebhookApi::delivery).toList()))));
        return r;
    }

    private static AdminRoute api(io.javalin.http.HandlerType m, String path, Role role, AdminRoute.Action a) {
        return new AdminRoute(m, path, role, AdminRoute.Surface.API, a);
    }

    private void create(Context ctx, Caller who) {
        Webhooks.NewWebhook w = JsonBodies.parse(Bodies.json(ctx, c.config().maxBodyBytes()), Webhooks.NewWebhook.class);
        WebhookStore.Webhook created = c.webhooks().create(who, w);
        Map<String, Object> out = view(created);
        out.put("secret", created.secret()); // shown once, at creation: the receiver needs it to check signatures
        ctx.status(201).json(out);
    }

    /** A webhook as listed: never its secret. */
    static Map<String, Object> view(WebhookStore.Webhook w) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", w.id());
        v.put("url", w.url());
        v.put("events", List.of(w.events().split(",")));
        v.put("createdBy", w.createdBy());
        v.put("createdAt", Views.time(w.createdAt()));
        v.put("status", w.disabledAt() == null ? "ENABLED" : "DISABLED");
        return v;
    }

    /** One row of the delivery log: where it stands, never the body (it is in the receiver's hands). */
    public static Map<String, Object> delivery(WebhookStore.Delivery d) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", d.id());
        v.put("webhookId", d.webhookId());
        v.put("eventId", d.eventId());
        v.put("event", d.event());
        v.put("machineId", d.machineId());
        v.put("status", d.status());
        v.put("attempts", d.attempts());
        v.put("createdAt", Views.time(d.createdAt()));
        v.put("lastAttemptAt", Views.time(d.lastAttemptAt()));
        v.put("lastHttpStatus", d.lastStatus());
        v.put("lastError", d.lastError());
        v.put("nextAttemptAt", d.status().equals(WebhookStore.PENDING) ? Views.time(d.nextAttemptAt()) : null);
        v.put("deliveredAt", Views.time(d.deliveredAt()));
        return v;
    }
}
