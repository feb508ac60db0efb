package org.stationtrust.server.internal.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.protocol.EnrollmentState;
import org.stationtrust.server.Role;
import org.stationtrust.server.internal.pcr.PcrMap;
import org.stationtrust.server.internal.store.AttestationStore;
import org.stationtrust.server.internal.store.PacketReceiptStore;
import org.stationtrust.server.testing.ConsoleFleet;
import org.stationtrust.server.testing.SoftwareStation;
import org.stationtrust.server.testing.TestServer;

/**
 * The operator API's answers keep their wire shape (docs/server-api.md, openapi.yaml): for every JSON route of the
 * admin, webhook and boot APIs and the health routes, the field names in order and the JSON type of each value (null
 * where the fixture leaves a field empty), walked into nested objects and
 * arrays (the distinct shapes of their elements).
 */
class OperatorAnswersTest {
    @TempDir
    Path dir;

    private final List<String> shapes = new ArrayList<>();
    private TestServer server;

    @Test
    void everyOperatorAnswerKeepsItsFieldsTheirOrderAndTheirTypes() {
        try (TestServer s = TestServer.start(dir, b -> b.rateLimits(1000, 1000, 1000))) {
            server = s;
            walkTheApi();
        }
        String actual = String.join("\n", shapes);
        String expected = EXPECTED.strip();
        if (!expected.equals(actual)) {
            System.out.println("actual shapes:\n" + actual);
        }
        assertEquals(expected, actual);
    }

    private void walkTheApi() {
        call("health", null, "GET", "/health", null);
        call("ready", null, "GET", "/ready", null);
        SoftwareStation soft = new SoftwareStation();
        String attested = server.seedMachine(soft, EnrollmentState.ACTIVE, true);
        String pcrs = PcrMap.toJson(soft.pcrs());
        AttestationStore attestations = new AttestationStore(server.db);
        server.db.inTransaction(c -> {
            attestations.recordAttestation(c, attested, false, "PCR 7 differs from the policy", pcrs);
            return null;
        });
        String pending = server.seedMachine(new SoftwareStation(), EnrollmentState.PENDING_APPROVAL, false);
        String toReject = server.seedMachine(new SoftwareStation(), EnrollmentState.PENDING_APPROVAL, false);
        String toRevoke = server.seedMachine(new SoftwareStation(), EnrollmentState.ACTIVE, true);
        // a second later than the others, so "machines first page" (newest first) is this one, not a random-id tie
        ConsoleFleet.seed(server.db, "f1ee70", 0, 1, System.currentTimeMillis() + 1_000);
        String booted = ConsoleFleet.machine("f1ee70", 0, 0).id();
        new PacketReceiptStore(server.db).record(attested, "packet-1", "ab".repeat(32), "key-1");
        server.db.inTransaction(c -> {
            try (var st = c.prepareStatement("INSERT INTO station_audit_events (machine_id, event_id, occurred_at, event, "
                    + "fields, sha256, received_at) VALUES (?, 'e-1', '2026-01-02T03:04:05Z', 'capture.completed', "
                    + "'{\"modality\":\"FINGER\",\"count\":2}', ?, ?)")) {
                st.setString(1, attested);
                st.setString(2, "cd".repeat(32));
                st.setLong(3, System.currentTimeMillis());
                st.executeUpdate();
            }
            return null;
        });

        call("webhook create", Role.ADMIN, "POST", "/api/v1/admin/webhooks",
                "{\"url\":\"https://203.0.113.7/hook\",\"events\":[\"machine.overdue\"]}");
        String hook = server.db.withConnection(c -> {
            try (var st = c.createStatement(); var rs = st.executeQuery("SELECT id FROM webhooks")) {
                rs.next();
                return rs.getString(1);
            }
        });
        long now = System.currentTimeMillis();
        server.db.inTransaction(c -> {
            try (var st = c.prepareStatement("INSERT INTO webhook_deliveries (id, webhook_id, event_id, event, machine_id, "
                    + "body, created_at, status, attempts, next_attempt_at, last_attempt_at, last_status, last_error, "
                    + "delivered_at) VALUES (?, ?, ?, 'machine.overdue', ?, '{}', ?, ?, ?, ?, ?, ?, ?, ?)")) {
                Object[][] rows = {
                        {"d-1", hook, "ev-1", attested, now - 2000, "DELIVERED", 1, now - 2000, now - 1900, 204, null, now - 1900},
                        {"d-2", hook, "ev-2", attested, now - 1000, "PENDING", 2, now + 3_600_000, now - 900, 503,
                                "HTTP 503", null},
                        {"d-3", hook, "ev-3", attested, now - 500, "FAILED", 8, now - 400, now - 400, null,
                                "connect timed out", null}};
                for (Object[] row : rows) {
                    for (int i = 0; i < row.length; i++) st.setObject(i + 1, row[i]);
                    st.executeUpdate();
                }
            }
            return null;
        });
        call("enrollments", Role.AUDITOR, "GET", "/api/v1/admin/enrollments", null);
        call("enrollments active", Role.AUDITOR, "GET", "/api/v1/admin/enrollments?state=ACTIVE", null);
        call("machines", Role.AUDITOR, "GET", "/api/v1/admin/machines", null);
        call("machines first page", Role.AUDITOR, "GET", "/api/v1/admin/machines?limit=1", null);
        call("machine failed", Role.AUDITOR, "GET", "/api/v1/admin/machines/" + attested, null);
        call("attestations", Role.AUDITOR, "GET", "/api/v1/admin/machines/" + attested + "/attestations", null);
        call("packets", Role.AUDITOR, "GET", "/api/v1/admin/machines/" + attested + "/packets", null);
        call("audit events", Role.AUDITOR, "GET", "/api/v1/admin/machines/" + attested + "/audit-events", null);
        call("approve", Role.ADMIN, "POST", "/api/v1/admin/machines/" + pending + "/approve",
                "{\"reason\":\"known laptop\"}");
        call("reject", Role.APPROVER, "POST", "/api/v1/admin/machines/" + toReject + "/reject",
                "{\"reason\":\"unknown laptop\"}");
        call("revoke", Role.ADMIN, "POST", "/api/v1/admin/machines/" + toRevoke + "/revoke", "{\"reason\":\"stolen\"}");
        call("golden", Role.ADMIN, "PUT", "/api/v1/admin/machines/" + attested + "/golden-pcrs",
                "{\"pcrs\":" + pcrs + ",\"reason\":\"measured on the bench\"}");
        JsonNode token = call("token issue", Role.ADMIN, "POST", "/api/v1/admin/enrollment-tokens",
                "{\"note\":\"site 4\",\"ttlSeconds\":3600}");
        call("tokens", Role.APPROVER, "GET", "/api/v1/admin/enrollment-tokens", null);
        call("token expire", Role.ADMIN, "POST", "/api/v1/admin/enrollment-tokens/" + token.path("id").asText()
                + "/expire", "{\"reason\":\"station replaced\"}");
        call("audit", Role.AUDITOR, "GET", "/api/v1/admin/audit?limit=3", null);
        call("audit verify", Role.AUDITOR, "GET", "/api/v1/admin/audit/verify", null);
        call("user add", Role.ADMIN, "POST", "/api/v1/admin/users",
                "{\"username\":\"dana\",\"password\":\"" + TestServer.PASSWORD + "\",\"role\":\"approver\"}");
        call("users", Role.ADMIN, "GET", "/api/v1/admin/users", null);
        call("api token issue", Role.ADMIN, "POST", "/api/v1/admin/api-tokens",
                "{\"username\":\"dana\",\"label\":\"ci\",\"ttlSeconds\":600}");
        JsonNode apiTokens = call("api tokens", Role.ADMIN, "GET", "/api/v1/admin/api-tokens", null);
        String danasToken = null;
        for (JsonNode t : apiTokens.path("apiTokens")) {
            if (t.path("username").asText().equals("dana")) danasToken = t.path("id").asText();
        }
        call("api token revoke", Role.ADMIN, "POST", "/api/v1/admin/api-tokens/" + danasToken + "/revoke",
                "{\"reason\":\"ci retired\"}");
        call("user disable", Role.ADMIN, "POST", "/api/v1/admin/users/dana/disable", "{\"reason\":\"leave\"}");
        call("user enable", Role.ADMIN, "POST", "/api/v1/admin/users/dana/enable", "{\"reason\":\"back\"}");
        JsonNode reset = call("password reset issue", Role.ADMIN, "POST", "/api/v1/admin/users/dana/password-reset",
                "{\"reason\":\"forgot it\"}");
        call("password reset redeem", null, "POST", "/api/v1/password-resets", "{\"token\":\""
                + reset.path("token").asText() + "\",\"newPassword\":\"another horse battery staple\"}");
        call("user remove", Role.ADMIN, "POST", "/api/v1/admin/users/dana/remove", "{\"reason\":\"left\"}");

        JsonNode hooks = call("webhooks", Role.ADMIN, "GET", "/api/v1/admin/webhooks", null);
        call("deliveries", Role.AUDITOR, "GET", "/api/v1/admin/webhooks/deliveries", null);
        call("webhook disable", Role.ADMIN, "POST", "/api/v1/admin/webhooks/"
                + hooks.path("webhooks").get(0).path("id").asText() + "/disable", null);

        call("boot policy put", Role.ADMIN, "PUT", "/api/v1/admin/boot-policies/fleet", "{\"name\": \"fleet\"}");
        call("boot policy default", Role.ADMIN, "POST", "/api/v1/admin/boot-policies/fleet/make-default",
                "{\"reason\": \"the whole fleet\"}");
        call("boot policies", Role.AUDITOR, "GET", "/api/v1/admin/boot-policies", null);
        call("machine boot none", Role.AUDITOR, "GET", "/api/v1/admin/machines/" + attested + "/boot", null);
        call("machine boot judged", Role.ADMIN, "GET", "/api/v1/admin/machines/" + booted + "/boot", null);
        call("machine boot assign", Role.ADMIN, "PUT", "/api/v1/admin/machines/" + booted + "/boot-policy",
                "{\"policy\":\"fleet\",\"reason\":\"pinned\"}");

        call("own password", Role.AUDITOR, "POST", "/api/v1/admin/me/password", "{\"currentPassword\":\""
                + TestServer.PASSWORD + "\",\"newPassword\":\"" + TestServer.PASSWORD + " 2\"}");
        call("error not found", Role.ADMIN, "GET", "/api/v1/admin/machines/" + "f".repeat(32), null);
        call("error bad state", Role.ADMIN, "GET", "/api/v1/admin/enrollments?state=SLEEPING", null);
    }

    private JsonNode call(String name, Role role, String method, String path, String body) {
        HttpResponse<String> r = role == null ? server.request(method, path, body, null)
                : server.as(role, method, path, body);
        JsonNode json = TestServer.json(r);
        shapes.add(name + " " + r.statusCode() + " " + shape(json));
        return json;
    }

    /** Field names in order with the JSON type of each value; arrays by the distinct shapes of their elements. */
    static String shape(JsonNode n) {
        if (n.isObject()) {
            StringBuilder b = new StringBuilder("{");
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                b.append(e.getKey()).append(':').append(shape(e.getValue())).append(it.hasNext() ? "," : "");
            }
            return b.append('}').toString();
        }
        if (n.isArray()) {
            java.util.SortedSet<String> elements = new java.util.TreeSet<>();
            n.forEach(e -> elements.add(shape(e)));
            return "[" + String.join("|", elements) + "]";
        }
        if (n.isNull()) return "null";
        if (n.isTextual()) return "s";
        if (n.isBoolean()) return "b";
        if (n.isNumber()) return "n";
        throw new AssertionError("unexpected JSON node " + n.getNodeType());
    }

    /** One line per call: its name, status and answer shape; a line ending in a backslash goes on below. */
    private static final String EXPECTED = """
            health 200 {status:s}
            ready 200 {status:s}
            webhook create 201 {id:s,url:s,events:[s],createdBy:s,createdAt:s,status:s,secret:s}
            enrollments 200 {enrollments:[{machineId:s,machineName:s,state:s,ekVerified:b,ekCertificateSubject:null,\
            ekCertificateIssuer:null,ekCertificateSerial:null,tpmManufacturer:null,reenrollmentOf:null,\
            enrollmentTokenId:null,requestSource:s,createdAt:s,firstQuotePcrs:{0:s,1:s,2:s,3:s,4:s,5:s,6:s,7:s},\
            policy:null,decidedBy:null,decidedAt:null,decisionReason:null,revokedBy:null,revokedAt:null,\
            revokeReason:null,attestationStatus:s,attestationFailure:null,lastAttestationAttempt:null,\
            lastAttestationSuccess:null}],next:null}
            enrollments active 200 {enrollments:[{machineId:s,machineName:s,state:s,ekVerified:b,\
            ekCertificateSubject:null,ekCertificateIssuer:null,ekCertificateSerial:null,tpmManufacturer:null,\
            reenrollmentOf:null,enrollmentTokenId:null,requestSource:s,createdAt:s,firstQuotePcrs:{0:s,1:s,2:s,3:s,\
            4:s,5:s,6:s,7:s},policy:s,decidedBy:s,decidedAt:s,decisionReason:s,revokedBy:null,revokedAt:null,\
            revokeReason:null,attestationStatus:s,attestationFailure:null,lastAttestationAttempt:s,\
            lastAttestationSuccess:s}|{machineId:s,machineName:s,state:s,ekVerified:b,ekCertificateSubject:null,\
            ekCertificateIssuer:null,ekCertificateSerial:null,tpmManufacturer:null,reenrollmentOf:null,\
            enrollmentTokenId:null,requestSource:s,createdAt:s,firstQuotePcrs:{0:s,1:s,2:s,3:s,4:s,5:s,6:s,7:s},\
            policy:s,decidedBy:s,decidedAt:s,decisionReason:s,revokedBy:null,revokedAt:null,revokeReason:null,\
            attestationStatus:s,attestationFailure:s,lastAttestationAttempt:s,lastAttestationSuccess:s}|{machineId:s,\
            machineName:s,state:s,ekVerified:b,ekCertificateSubject:s,ekCertificateIssuer:s,ekCertificateSerial:s,\
            tpmManufacturer:s,reenrollmentOf:null,enrollmentTokenId:null,requestSource:s,createdAt:s,\
            firstQuotePcrs:{0:s},policy:s,decidedBy:null,decidedAt:null,decisionReason:null,revokedBy:null,\
            revokedAt:null,revokeReason:null,attestationStatus:s,attestationFailure:null,lastAttestationAttempt:s,\
            lastAttestationSuccess:s}],next:null}
            machines 200 {machines:[{machineId:s,machineName:s,state:s,ekVerified:b,ekCertificateSubject:null,\
            ekCertificateIssuer:null,ekCertificateSerial:null,tpmManufacturer:null,reenrollmentOf:null,\
            enrollmentTokenId:null,requestSource:s,createdAt:s,firstQuotePcrs:{0:s,1:s,2:s,3:s,4:s,5:s,6:s,7:s},\
            policy:null,decidedBy:null,decidedAt:null,decisionReason:null,revokedBy:null,revokedAt:null,\
            revokeReason:null,attestationStatus:s,attestationFailure:null,lastAttestationAttempt:null,\
            lastAttestationSuccess:null}|{machineId:s,machineName:s,state:s,ekVerified:b,ekCertificateSubject:null,\
            ekCertificateIssuer:null,ekCertificateSerial:null,tpmManufacturer:null,reenrollmentOf:null,\
            enrollmentTokenId:null,requestSource:s,createdAt:s,firstQuotePcrs:{0:s,1:s,2:s,3:s,4:s,5:s,6:s,7:s},\
            policy:s,decidedBy:s,decidedAt:s,decisionReason:s,revokedBy:null,revokedAt:null,revokeReason:null,\
            attestationStatus:s,attestationFailure:null,lastAttestationAttempt:s,lastAttestationSuccess:s}|\
            {machineId:s,machineName:s,state:s,ekVerified:b,ekCertificateSubject:null,ekCertificateIssuer:null,\
            ekCertificateSerial:null,tpmManufacturer:null,reenrollmentOf:null,enrollmentTokenId:null,requestSource:s,\
            createdAt:s,firstQuotePcrs:{0:s,1:s,2:s,3:s,4:s,5:s,6:s,7:s},policy:s,decidedBy:s,decidedAt:s,\
            decisionReason:s,revokedBy:null,revokedAt:null,revokeReason:null,attestationStatus:s,\
            attestationFailure:s,lastAttestationAttempt:s,lastAttestationSuccess:s}|{machineId:s,machineName:s,\
            state:s,ekVerified:b,ekCertificateSubject:s,ekCertificateIssuer:s,ekCertificateSerial:s,\
            tpmManufacturer:s,reenrollmentOf:null,enrollmentTokenId:null,requestSource:s,createdAt:s,\
            firstQuotePcrs:{0:s},policy:s,decidedBy:null,decidedAt:null,decisionReason:null,revokedBy:null,\
            revokedAt:null,revokeReason:null,attestationStatus:s,attestationFailure:null,lastAttestationAttempt:s,\
            lastAttestationSuccess:s}],next:null}
            machines first page 200 {machines:[{machineId:s,machineName:s,state:s,ekVerified:b,\
            ekCertificateSubject:s,ekCertificateIssuer:s,ekCertificateSerial:s,tpmManufacturer:s,reenrollmentOf:null,\
            enrollmentTokenId:null,requestSource:s,createdAt:s,firstQuotePcrs:{0:s},policy:s,decidedBy:null,\
            decidedAt:null,decisionReason:null,revokedBy:null,revokedAt:null,revokeReason:null,attestationStatus:s,\
            attestationFailure:null,lastAttestationAttempt:s,lastAttestationSuccess:s}],next:s}
            machine failed 200 {machineId:s,machineName:s,state:s,ekVerified:b,ekCertificateSubject:null,\
            ekCertificateIssuer:null,ekCertificateSerial:null,tpmManufacturer:null,reenrollmentOf:null,\
            enrollmentTokenId:null,requestSource:s,createdAt:s,firstQuotePcrs:{0:s,1:s,2:s,3:s,4:s,5:s,6:s,7:s},\
            policy:s,decidedBy:s,decidedAt:s,decisionReason:s,revokedBy:null,revokedAt:null,revokeReason:null,\
            attestationStatus:s,attestationFailure:s,lastAttestationAttempt:s,lastAttestationSuccess:s}
            attestations 200 {machineId:s,attestationStatus:s,lastAttempt:s,lastSuccess:s,history:[{at:s,outcome:s,\
            detail:s}]}
            packets 200 {machineId:s,total:n,packets:[{packetId:s,sha256:s,keyId:s,receivedAt:s}],next:null}
            audit events 200 {machineId:s,total:n,events:[{eventId:s,time:s,event:s,fields:{modality:s,count:n},\
            receivedAt:s}],next:null}
            approve 200 {machineId:s,machineName:s,state:s,ekVerified:b,ekCertificateSubject:null,\
            ekCertificateIssuer:null,ekCertificateSerial:null,tpmManufacturer:null,reenrollmentOf:null,\
            enrollmentTokenId:null,requestSource:s,createdAt:s,firstQuotePcrs:{0:s,1:s,2:s,3:s,4:s,5:s,6:s,7:s},\
            policy:s,decidedBy:s,decidedAt:s,decisionReason:s,revokedBy:null,revokedAt:null,revokeReason:null,\
            attestationStatus:s,attestationFailure:null,lastAttestationAttempt:null,lastAttestationSuccess:null}
            reject 200 {machineId:s,machineName:s,state:s,ekVerified:b,ekCertificateSubject:null,\
            ekCertificateIssuer:null,ekCertificateSerial:null,tpmManufacturer:null,reenrollmentOf:null,\
            enrollmentTokenId:null,requestSource:s,createdAt:s,firstQuotePcrs:{0:s,1:s,2:s,3:s,4:s,5:s,6:s,7:s},\
            policy:null,decidedBy:s,decidedAt:s,decisionReason:s,revokedBy:null,revokedAt:null,revokeReason:null,\
            attestationStatus:s,attestationFailure:null,lastAttestationAttempt:null,lastAttestationSuccess:null}
            revoke 200 {machineId:s,machineName:s,state:s,ekVerified:b,ekCertificateSubject:null,\
            ekCertificateIssuer:null,ekCertificateSerial:null,tpmManufacturer:null,reenrollmentOf:null,\
            enrollmentTokenId:null,requestSource:s,createdAt:s,firstQuotePcrs:{0:s,1:s,2:s,3:s,4:s,5:s,6:s,7:s},\
            policy:s,decidedBy:s,decidedAt:s,decisionReason:s,revokedBy:s,revokedAt:s,revokeReason:s,\
            attestationStatus:s,attestationFailure:null,lastAttestationAttempt:s,lastAttestationSuccess:s}
            golden 200 {machineId:s,machineName:s,state:s,ekVerified:b,ekCertificateSubject:null,\
            ekCertificateIssuer:null,ekCertificateSerial:null,tpmManufacturer:null,reenrollmentOf:null,\
            enrollmentTokenId:null,requestSource:s,createdAt:s,firstQuotePcrs:{0:s,1:s,2:s,3:s,4:s,5:s,6:s,7:s},\
            policy:s,decidedBy:s,decidedAt:s,decisionReason:s,revokedBy:null,revokedAt:null,revokeReason:null,\
            attestationStatus:s,attestationFailure:s,lastAttestationAttempt:s,lastAttestationSuccess:s}
            token issue 201 {id:s,token:s,expiresAt:s}
            tokens 200 {enrollmentTokens:[{id:s,note:s,createdBy:s,createdAt:s,expiresAt:s,status:s,usedBy:null}],next:null}
            token expire 200 {id:s,status:s}
            audit 200 {events:[{seq:n,at:s,actor:s,action:s,subject:s,outcome:s,detail:s,hash:s}],next:s}
            audit verify 200 {intact:b,rows:n,problems:[],full:b,verifiedFrom:n}
            user add 201 {username:s}
            users 200 [{username:s,role:s,createdAt:s,disabled:b}]
            api token issue 201 {token:s}
            api tokens 200 {apiTokens:[{id:s,username:s,label:s,createdAt:s,expiresAt:s,status:s}]}
            api token revoke 200 {id:s,status:s}
            user disable 200 {username:s,disabled:b}
            user enable 200 {username:s,disabled:b}
            password reset issue 201 {username:s,token:s,expiresAt:s}
            password reset redeem 200 {username:s,changed:b}
            user remove 200 {username:s,removed:b}
            webhooks 200 {webhooks:[{id:s,url:s,events:[s],createdBy:s,createdAt:s,status:s}]}
            deliveries 200 {deliveries:[{id:s,webhookId:s,eventId:s,event:s,machineId:s,status:s,attempts:n,\
            createdAt:s,lastAttemptAt:s,lastHttpStatus:n,lastError:null,nextAttemptAt:null,deliveredAt:s}|{id:s,\
            webhookId:s,eventId:s,event:s,machineId:s,status:s,attempts:n,createdAt:s,lastAttemptAt:s,\
            lastHttpStatus:n,lastError:s,nextAttemptAt:s,deliveredAt:null}|{id:s,webhookId:s,eventId:s,event:s,\
            machineId:s,status:s,attempts:n,createdAt:s,lastAttemptAt:s,lastHttpStatus:null,lastError:s,\
            nextAttemptAt:null,deliveredAt:null}]}
            webhook disable 200 {id:s,status:s}
            boot policy put 200 {name:s,default:b,updatedBy:s,updatedAt:s,policy:{name:s}}
            boot policy default 200 {name:s,default:b,updatedBy:s,updatedAt:s,policy:{name:s}}
            boot policies 200 {bootPolicies:[{name:s,default:b,updatedBy:s,updatedAt:s,policy:{name:s}}]}
            machine boot none 200 {machineId:s,policy:null,effectivePolicy:s,last:null,acceptedAt:null,\
            acceptedEventLogSha256:null,flaggedAt:null}
            machine boot judged 200 {machineId:s,policy:null,effectivePolicy:s,last:{result:s,rule:null,event:null,\
            message:null,changes:[],at:s,bootState:{secureBoot:s,firmwareVersions:[s]},pcrs:{}},acceptedAt:null,\
            acceptedEventLogSha256:null,flaggedAt:null}
            machine boot assign 200 {machineId:s,policy:s,effectivePolicy:s,last:{result:s,rule:null,event:null,\
            message:null,changes:[],at:s,bootState:{secureBoot:s,firmwareVersions:[s]},pcrs:{}},acceptedAt:null,\
            acceptedEventLogSha256:null,flaggedAt:null}
            own password 200 {username:s,changed:b}
            error not found 404 {error:{code:s,message:s},requestId:s}
            error bad state 400 {error:{code:s,message:s},requestId:s}
            """;
}
