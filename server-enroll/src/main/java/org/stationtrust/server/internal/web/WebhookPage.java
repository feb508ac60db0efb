package org.stationtrust.server.internal.web;

import static io.javalin.http.HandlerType.GET;

import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import org.stationtrust.server.Role;
import org.stationtrust.server.internal.api.WebhookApi;
import org.stationtrust.server.internal.auth.AdminRoute;
import org.stationtrust.server.internal.auth.Caller;
import org.stationtrust.server.internal.notify.Webhooks;
import org.stationtrust.server.internal.store.WebhookStore;
import org.stationtrust.server.internal.web.templates.JtewebhooksGenerated;

/** {@code /admin/webhooks}: the configured webhooks and the delivery log (newest 200), for auditors and above. */
public final class WebhookPage {
    private static final List<String> LOG_COLUMNS = List.of("createdAt", "event", "machineId", "webhookId", "status",
            "attempts", "lastHttpStatus", "lastError", "nextAttemptAt", "deliveredAt");
    /** What this class uses of the running server (wired in {@code ServerRoutes}), nothing else. */
    public record Parts(Webhooks webhooks) {
    }

    private final Parts c;

    public WebhookPage(Parts c) {
        this.c = c;
    }

    public record HookRow(String id, String url, String events, String status) {
    }

    public record Cell(String column, String value) {
    }

    public record DeliveryRow(String id, boolean delivered, List<Cell> cells) {
    }

    public List<AdminRoute> routes() {
        return List.of(new AdminRoute(GET, "/admin/webhooks", Role.AUDITOR, AdminRoute.Surface.PAGE, this::show));
    }

    private void show(Context ctx, Caller who) {
        List<HookRow> hooks = c.webhooks().store().list().stream().map(w -> new HookRow(w.id(), w.url(),
                String.valueOf(w.events()), w.disabledAt() == null ? "ENABLED" : "DISABLED")).toList();
        List<DeliveryRow> deliveries = c.webhooks().store().recent(200).stream().map(d -> {
            Map<String, Object> v = WebhookApi.delivery(d);
            List<Cell> cells = LOG_COLUMNS.stream().map(col -> new Cell(col, v.get(col) == null ? ""
                    : String.valueOf(v.get(col)))).toList();
            return new DeliveryRow(d.id(), d.status().equals(WebhookStore.DELIVERED), cells);
        }).toList();
        Render.send(ctx, out -> JtewebhooksGenerated.render(out, null, Chrome.of("Webhooks", who, "webhooks"), hooks,
                LOG_COLUMNS, deliveries));
    }
}
