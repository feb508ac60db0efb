package org.stationtrust.server.internal.web;

/** Minimal HTML building with escaping of every interpolated value. */
final class Html {
    private Html() {
    }

    static String esc(Object o) {
        if (o == null) return "";
        String s = o.toString();
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(ch);
            }
        }
        return b.toString();
    }

    static String page(String title, String user, String body) {
        return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + esc(title)
                + " - station-trust</title><style>"
                + "body{font-family:sans-serif;margin:1.5em;max-width:70em}table{border-collapse:collapse;width:100%}"
                + "td,th{border:1px solid #ccc;padding:.3em;text-align:left;vertical-align:top;font-size:.9em}"
                + "nav a{margin-right:1em}.warn{color:#a00;font-weight:bold}code{font-size:.85em;word-break:break-all}"
                + "form.inline{display:inline-block;margin:.2em 0}</style></head><body>"
                + (user == null ? "" : "<nav><a href=\"/admin\">Pending</a><a href=\"/admin/machines\">Machines</a>"
                + "<a href=\"/admin/tokens\">Tokens</a><a href=\"/admin/audit\">Audit log</a>"
                + "<a href=\"/admin/webhooks\">Webhooks</a><a href=\"/admin/users\">Operators</a>"
                + "<a href=\"/admin/password\">My password</a> signed in as <b id=\"who\">"
                + esc(user) + "</b></nav>")
                + "<h1>" + esc(title) + "</h1>" + body + "</body></html>";
    }

    static String hidden(String name, String value) {
        return "<input type=\"hidden\" name=\"" + esc(name) + "\" value=\"" + esc(value) + "\">";
    }

    static String reasonForm(String action, String csrf, String label, String id) {
        return "<form class=\"inline\" method=\"post\" action=\"" + esc(action) + "\">" + hidden("csrf", csrf)
                + "<input name=\"reason\" id=\"" + esc(id) + "-reason\" placeholder=\"reason (required)\" required "
                + "minlength=\"3\" maxlength=\"500\"> <button type=\"submit\" id=\"" + esc(id) + "\">" + esc(label)
                + "</button></form>";
    }
}
