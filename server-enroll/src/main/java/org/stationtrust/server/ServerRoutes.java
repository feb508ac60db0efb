package org.stationtrust.server;

import org.stationtrust.server.internal.api.AdminApi;
import org.stationtrust.server.internal.api.AttestationRoutes;
import org.stationtrust.server.internal.api.BootApi;
import org.stationtrust.server.internal.api.Components;
import org.stationtrust.server.internal.api.ErrorResponses;
import org.stationtrust.server.internal.api.StationApi;
import org.stationtrust.server.internal.api.WebhookApi;
import org.stationtrust.server.internal.web.AdminPage;
import org.stationtrust.server.internal.web.MachinePages;
import org.stationtrust.server.internal.web.OperatorPages;
import org.stationtrust.server.internal.web.WebhookPage;

/**
 * The one place that hands each route class the parts of the running server it uses: a route class never sees the
 * whole {@link Components} (ArchUnit, demo's {@code ModuleRulesTest}), so what it can touch is in its constructor.
 */
final class ServerRoutes {
    private ServerRoutes() {
    }

    static AdminApi adminApi(Components c) {
        return new AdminApi(new AdminApi.Parts(c.approvals(), c.audit(), c.auth(), c.config(), c.credentials(),
                c.enrollmentTokens(), c.loginLimit(), c.machines(), c.machineListing(), c.attestationRecords(),
                c.operators(), c.packetReceipts(), c.stationAudit(), c.users(), c.fullVerification()));
    }

    static BootApi bootApi(Components c) {
        return new BootApi(new BootApi.Parts(c.attestation(), c.audit(), c.config(), c.db(), c.machines()));
    }

    static WebhookApi webhookApi(Components c) {
        return new WebhookApi(new WebhookApi.Parts(c.config(), c.webhooks()));
    }

    static StationApi stationApi(Components c) {
        return new StationApi(new StationApi.Parts(c.attestation(), c.audit(), c.auth(), c.config(), c.enrollment(),
                c.enrollLimit(), c.machines(), c.metrics(), c.nonceLimit(), c.packetReceipts(), c.packets(),
                c.rotation(), c.rotationWithdrawal(), c.signed(), c.stationAudit(), c.failedChecks()));
    }

    static AttestationRoutes attestationRoutes(Components c) {
        return new AttestationRoutes(new AttestationRoutes.Parts(c.attestation(), c.config(), c.nonceLimit(), c.signed(),
                c.failedChecks()));
    }

    static ErrorResponses errors(Components c) {
        return new ErrorResponses(new ErrorResponses.Parts(c.audit(), c.metrics(), c.refusals()));
    }

    static AdminPage adminPage(Components c, boolean secureCookies) {
        MachinePages.Parts machines = new MachinePages.Parts(c.approvals(), c.attestation(), c.audit(), c.config(),
                c.machines(), c.machineListing(), c.attestationRecords(), c.packetReceipts());
        OperatorPages.Parts operators = new OperatorPages.Parts(c.audit(), c.auth(), c.credentials(), c.operators(),
                c.users());
        return new AdminPage(new AdminPage.Parts(c.audit(), c.auth(), c.config(), c.db(), c.enrollmentTokens(),
                c.loginLimit(), c.loginThrottle(), c.operators(), c.refusals(), c.users(), c.webhooks(), machines,
                operators, c.fullVerification()), secureCookies);
    }

    static WebhookPage webhookPage(Components c) {
        return new WebhookPage(new WebhookPage.Parts(c.webhooks()));
    }
}
