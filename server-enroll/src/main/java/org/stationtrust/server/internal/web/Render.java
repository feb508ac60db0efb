package org.stationtrust.server.internal.web;

import gg.jte.html.HtmlTemplateOutput;
import gg.jte.html.OwaspHtmlTemplateOutput;
import gg.jte.output.StringOutput;
import io.javalin.http.Context;

/**
 * Renders a precompiled template by calling its generated class directly: the call is type-checked by javac
 * against the template's parameters, and nothing is looked up by name or reflection at run time. The output
 * escapes every value for the HTML context it lands in (jte's OWASP-based HTML output).
 */
final class Render {
    private Render() {
    }

    /** A call of one generated template class with its parameters bound. */
    interface Template {
        void render(HtmlTemplateOutput out);
    }

    static String html(Template t) {
        StringOutput text = new StringOutput(8192);
        t.render(new OwaspHtmlTemplateOutput(text));
        return text.toString();
    }

    static void send(Context ctx, Template t) {
        ctx.html(html(t));
    }
}
