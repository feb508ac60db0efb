package org.stationtrust.server.internal.auth;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.List;
import java.util.Optional;
import org.stationtrust.protocol.ErrorCode;
import org.stationtrust.server.internal.http.ApiException;

/** Registers admin routes behind authentication, role and CSRF checks: one place for access control. */
public final class RouteGuard {
    public static final String CALLER_ATTRIBUTE = "caller";
    private final Authenticator auth;

    public RouteGuard(Authenticator auth) {
        this.auth = auth;
    }

    public void register(RoutesConfig app, List<AdminRoute> routes) {
        for (AdminRoute route : routes) {
            app.addHttpHandler(route.method(), route.path(), ctx -> {
                Caller caller = authenticate(ctx, route);
                ctx.attribute(CALLER_ATTRIBUTE, caller);
                if (!caller.role().includes(route.role())) {
                    throw new ApiException(ErrorCode.FORBIDDEN, "This action needs the " + route.role().name()
                            .toLowerCase(java.util.Locale.ROOT) + " role; you are " + caller.role().name()
                            .toLowerCase(java.util.Locale.ROOT));
                }
                if (route.surface() == AdminRoute.Surface.PAGE && route.method().equals(HandlerType.POST)
                        && fromAnotherSite(ctx)) {
                    throw new ApiException(ErrorCode.CSRF_TOKEN_INVALID, "This form was sent from another site ("
                            + "Sec-Fetch-Site: " + ctx.header(FETCH_SITE) + "): open the console itself and submit it there");
                }
                if (route.surface() == AdminRoute.Surface.PAGE && route.method().equals(HandlerType.POST)
                        && !Authenticator.csrfMatches(caller, ctx.formParam("csrf"))) {
                    throw new ApiException(ErrorCode.CSRF_TOKEN_INVALID, "The form's CSRF token is missing or stale: "
                            + "reload the page and submit again");
                }
                route.action().handle(ctx, caller);
            });
        }
    }

    private static final String FETCH_SITE = "Sec-Fetch-Site";

    /**
     * Whether the browser says the request was made by another site (Fetch Metadata, {@code Sec-Fetch-Site}): a second
     * line behind the CSRF token and the SameSite=Strict cookie, which a sibling host of the same site still gets.
     * The browser sets the header itself, whatever a proxy does to Host; a client without it (curl) is not judged.
     */
    public static boolean fromAnotherSite(Context ctx) {
        String site = ctx.header(FETCH_SITE);
        return site != null && !site.equals("same-origin") && !site.equals("none");
    }

    private Caller authenticate(Context ctx, AdminRoute route) {
        Optional<Caller> caller = route.surface() == AdminRoute.Surface.API
                ? auth.fromAuthorizationHeader(ctx.header("Authorization"))
                : auth.fromSession(ctx.cookie(Authenticator.SESSION_COOKIE));
        if (caller.isPresent()) return caller.get();
        if (route.surface() == AdminRoute.Surface.PAGE && route.method().equals(HandlerType.GET)) {
            ctx.redirect("/admin/login", io.javalin.http.HttpStatus.SEE_OTHER);
            throw new LoginRedirect();
        }
        throw new ApiException(ErrorCode.UNAUTHENTICATED, route.surface() == AdminRoute.Surface.API
                ? "Send 'Authorization: Bearer <API token>' (issue one with: token issue --user <name>)"
                : "Log in at /admin/login first");
    }

    /** Ends handling after a redirect to the login page has been set on the response. */
    public static final class LoginRedirect extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LoginRedirect() {
            super("redirect to login", null, false, false);
        }
    }
}
