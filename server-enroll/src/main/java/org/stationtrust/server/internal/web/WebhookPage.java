package org.stationtrust.server.internal.web;

import static io.javalin.http.HandlerType.GET;

import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import org.stationtrust.server.Role;
import org.stationtrust.server.internal.api.Components;
import org.stationtrust.server.internal.api.WebhookApi;
import org.stationtrust.server.internal.auth.AdminRoute;
import org.stationtrust.server.internal.auth.Caller;
import org.stationtrust.server.internal.store.WebhookStore;

/** {@code /admin/webhooks}: the configured webhooks and the delivery log (newest 200), for auditors and above. */
public final class WebhookPage {
    private static final List<String> LOG_COLUMNS = List.of("createdAt", "event", "machineId", "webhookId", "status",
            "attempts", "lastHttpStatus", "lastError", "nextAttemptAt", "deliveredAt");
    private final Components c;

    public WebhookPage(Components c) {
        this.c = c;
    }

    public List<AdminRoute> routes() {
        return List.of(new AdminRoute(GET, "/admin/webhooks", Role.AUDITOR, AdminRoute.Surface.PAGE, this::show));
    }

    private void show(Context ctx, Caller who) {
        StringBuilder b = new StringBuilder("<h2>Webhooks</h2><table id=\"webhooks\"><tr><th>Id</th><th>URL</th>"
                + "<th>Events</th><th>Status</th></tr>");
        for (WebhookStore.Webhook w : c.webhooks().store().list()) {
            b.append("<tr><td>").append(Html.esc(w.id())).append("</td><td>").append(Html.esc(w.url()))
                    .append("</td><td>").append(Html.esc(w.events())).append("</td><td>")
                    .append(w.disabledAt() == null ? "ENABLED" : "DISABLED").append("</td></tr>");
        }
        b.append("</table><h2>Delivery log</h2><table id=\"deliveries\"><tr>");
        LOG_COLUMNS.forEach(col -> b.append("<th>").append(col).append("</th>"));
        b.append("</tr>");
        for (WebhookStore.Delivery d : c.webhooks().store().recent(200)) {
            Map<String, Object> v = WebhookApi.delivery(d);
            b.append("<tr data-delivery=\"").append(Html.esc(d.id())).append("\" class=\"")
                    .append(d.status().equals(WebhookStore.DELIVERED) ? "" : "warn").append("\">");
            LOG_COLUMNS.forEach(col -> b.append("<td class=\"").append(col).append("\">").append(Html.esc(v.get(col)))
                    .append("</td>"));
            b.append("</tr>");
        }
        ctx.html(Html.page("Webhooks", who.username(), b.append("</table>").toString()));
    }
}
