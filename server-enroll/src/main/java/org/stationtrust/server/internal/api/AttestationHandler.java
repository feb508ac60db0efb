package org.stationtrust.server.internal.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.ByteBuffer;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.stationtrust.protocol.StationRoute;
import org.stationtrust.protocol.WireJson;
import org.stationtrust.server.internal.http.AccessLog;
import org.stationtrust.server.internal.http.ErrorBodies;
import org.stationtrust.server.internal.http.RequestGate;
import org.stationtrust.server.internal.http.ResponseHeaders;

/**
 * Carries the two requests of an attestation, the server's most frequent traffic, on Jetty's own handler API: the
 * servlet layer and Javalin cost more CPU than an attestation's quote check (docs/performance.md, "Attestation").
 * It sits below the request gate, which has admitted the request and read its body under the same limits as every
 * station route, and answers exactly as the other routes do: the same headers, error body, audit of refusals and
 * access log line. Every other request goes on to the routes behind it.
 */
public final class AttestationHandler extends Handler.Wrapper {
    /** The routes this handler answers, as "METHOD /path" (the server's route table lists them with the rest). */
    public static final List<String> ROUTES = List.of(StationRoute.NONCE.method() + " " + StationRoute.NONCE.template(),
            StationRoute.QUOTE.method() + " " + StationRoute.QUOTE.template());

    private final AttestationRoutes routes;
    private final ErrorResponses errors;
    private final AccessLog access;
    private final boolean https;

    public AttestationHandler(AttestationRoutes routes, ErrorResponses errors, AccessLog access, boolean https) {
        this.routes = routes;
        this.errors = errors;
        this.access = access;
        this.https = https;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = request.getHttpURI().getPath();
        StationRoute route = !"POST".equals(request.getMethod()) ? null : StationRoute.NONCE.path().equals(path)
                ? StationRoute.NONCE : StationRoute.QUOTE.path().equals(path) ? StationRoute.QUOTE : null;
        if (route == null) return super.handle(request, response, callback);
        long start = System.nanoTime();
        String requestId = ResponseHeaders.newRequestId();
        String client = Request.getRemoteAddr(request);
        Exchange exchange = new Exchange();
        int status;
        byte[] answer;
        try {
            AttestationRoutes.Call call = new AttestationRoutes.Call(request.getMethod(), path, client,
                    name -> request.getHeaders().get(name), RequestGate.body(request),
                    request.getAttribute(RequestGate.PRECHECKED));
            Object body = route == StationRoute.NONCE ? routes.nonce(call, exchange::station)
                    : routes.quote(call, exchange::station);
            status = route == StationRoute.NONCE ? 201 : 200;
            answer = json(body);
        } catch (Exception e) {
            ErrorResponses.Failure f = errors.failure(e, requestId, new ErrorResponses.Refused(client, request.getMethod(),
                    route.template(), path, null, exchange.station));
            status = f.code().status();
            answer = ErrorBodies.json(f.code(), f.message(), requestId);
        }
        response.setStatus(status);
        ResponseHeaders.apply(response.getHeaders()::put, requestId, https);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        access.answered(requestId, request.getMethod(), route.template(), status, client, start);
        response.write(true, ByteBuffer.wrap(answer), callback);
        return true;
    }

    private static byte[] json(Object answer) {
        try {
            return WireJson.strict().writeValueAsBytes(answer);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an answer record failed to serialise", e);
        }
    }

    /** What one exchange learned on the way: the machine, once its signature or quote verified. */
    private static final class Exchange {
        private String station;

        void station(String machineId) {
            station = machineId;
        }
    }
}
