package org.stationtrust.server.internal.web;

import static io.javalin.http.HandlerType.GET;

import io.javalin.http.Context;
import java.util.List;
import org.stationtrust.logging.UrlRedaction;
import org.stationtrust.server.Role;
import org.stationtrust.server.internal.api.WebhookApi;
import org.stationtrust.server.internal.auth.AdminRoute;
import org.stationtrust.server.internal.auth.Caller;
import org.stationtrust.server.internal.notify.Webhooks;
import org.stationtrust.server.internal.store.DeliveryStatus;
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
        List<HookRow> hooks = c.webhooks().store().list().stream().map(w -> new HookRow(w.id(), UrlRedaction.of(w.url()),
                String.valueOf(w.events()), w.status().name())).toList();
        List<DeliveryRow> deliveries = c.webhooks().store().recent(200).stream().map(d -> {
            WebhookApi.DeliveryView v = WebhookApi.DeliveryView.of(d);
            List<Cell> cells = LOG_COLUMNS.stream().map(col -> {
                Object value = column(v, col);
                return new Cell(col, value == null ? "" : String.valueOf(value));
            }).toList();
            return new DeliveryRow(d.id(), d.status() == DeliveryStatus.DELIVERED, cells);
        }).toList();
        Render.send(ctx, out -> JtewebhooksGenerated.render(out, null, Chrome.of("Webhooks", who, "webhooks"), hooks,
                LOG_COLUMNS, deliveries));
    }

    /** The value of one column of the delivery log, as the API answers it. */
    private static Object column(WebhookApi.DeliveryView v, String column) {
        return switch (column) {
            case "createdAt" -> v.createdAt();
            case "event" -> v.event();
            case "machineId" -> v.machineId();
            case "webhookId" -> v.webhookId();
            case "status" -> v.status();
            case "attempts" -> v.attempts();
            case "lastHttpStatus" -> v.lastHttpStatus();
            case "lastError" -> v.lastError();
            case "nextAttemptAt" -> v.nextAttemptAt();
            case "deliveredAt" -> v.deliveredAt();
            default -> throw new IllegalArgumentException("no delivery column " + column);
        };
    }
}
