#!/usr/bin/env python3
"""An independent station: the station-trust protocol with tpm2-tools, openssl and this file only.

Usage (TPM2TOOLS_TCTI selects the TPM, e.g. swtpm:host=127.0.0.1,port=2321 or device:/dev/tpmrm0):
  independent-station.py enroll  --server URL --name NAME --state DIR [--pin sha256/BASE64] [--token ste_...]
                                  [--ek-chain INTERMEDIATE.der ...]
  independent-station.py enroll  --resend --server URL --name NAME --state DIR [--pin sha256/BASE64]
                                  (the saved enrollment request again, signed afresh: its answer was lost)
  independent-station.py status  --state DIR      (the enrollment's state: PENDING_APPROVAL until approved, ACTIVE)
  independent-station.py attest  --state DIR [--unsigned] [--event-log /sys/kernel/security/tpm0/binary_bios_measurements]
  independent-station.py packet  --state DIR [--save-to FILE | --verify-saved FILE]
                                  (signs a capture packet, has the server verify it; or keeps it in FILE unsent;
                                  or has the server verify the packet an earlier run kept in FILE)
  independent-station.py rotate  --state DIR      (a new machine key, certified by the AK; the old key is evicted)
  independent-station.py recover-rotation --state DIR
                                  (a rotation's answer was lost: asks the server with each key which one it holds,
                                  keeps that one and evicts the other)
Test-only flags (they make the station misbehave on purpose, so a test can see the server refuse it):
  enroll --lose-answer            stop after the enrollment's answer, as if it never arrived
  rotate --lose-answer            stop after the rotation's answer, as if it never arrived (recover-rotation next)
  rotate --lose-request           stop before sending the rotation request, as if it never reached the server
  rotate --keep-old-key           leave the old machine key in the TPM after the rotation
  attest|packet --machine-key H   sign with the key at persistent handle H, not the current machine key
  any command --replay-last       at the end, send the last signed request again, the same bytes and headers
Walkthrough and reasons: docs/independent-station.md. Python 3 standard library only.
"""
import argparse, base64, hashlib, http.client, json, os, re, ssl, struct, subprocess, sys, time, urllib.parse

AK_HANDLE, MK_HANDLE = "0x81010020", "0x81010021"
# Key rotation makes the new machine key next to the old one (server-api.md, "Key rotation"): the two handles alternate.
MK_HANDLES = (MK_HANDLE, "0x81010022")
PCRS = list(range(8))
# docs/server-api.md, "Enrollment": 1-128 characters, a letter or digit first, single spaces, none at the end
MACHINE_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._()-]| (?=[A-Za-z0-9._()-]))*")
B64 = lambda b: base64.b64encode(b).decode()
B64URL = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def tpm(*args, out=None):
    """Runs one tpm2-tools command; returns the bytes of `out` when given. Objects it left loaded are flushed
    (their saved contexts stay usable): a TPM holds as few as three transient objects."""
    subprocess.run(["tpm2_" + args[0], *args[1:]], check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["tpm2_flushcontext", "-t"], check=True)
    return open(out, "rb").read() if out else None


def tpmt(path):
    """tpm2-tools writes TPM2B_PUBLIC; the protocol wants the TPMT_PUBLIC inside (no 2-byte size)."""
    data = open(path, "rb").read()
    return data[2:2 + struct.unpack(">H", data[:2])[0]]


class Server:
    def __init__(self, url, pin):
        self.url, self.pin = urllib.parse.urlsplit(url), pin
        self.last_signed = None

    def call(self, method, path, body=None, headers=None):
        """Sends `body` (a dict, or the exact bytes to send) and returns the answer; an error answer ends the script."""
        return self.exchange(method, path, body, headers)[1]

    def exchange(self, method, path, body=None, headers=None):
        """As call, and the HTTP status with the answer: an enrollment retry is answered 200, a first attempt 201."""
        status, answer = self.send(method, path, body, headers)
        if status == 409 and answer.get("error", {}).get("code") == "event_log_required":
            raise EventLogRequired(answer["error"].get("message", ""))
        if status // 100 != 2:
            sys.exit(f"{method} {path}: HTTP {status} {answer.get('error', answer)}")
        return status, answer

    def send(self, method, path, body=None, headers=None):
        """Sends one request and returns the HTTP status and the answer, whatever they are."""
        u = self.url
        if u.scheme == "https":
            ctx = ssl.create_default_context()
            ctx.check_hostname, ctx.verify_mode = False, ssl.CERT_NONE  # trust comes from the pin below
            conn = http.client.HTTPSConnection(u.hostname, u.port or 443, context=ctx, timeout=30)
            conn.connect()
            require_pin(conn.sock.getpeercert(binary_form=True), self.pin)
        else:
            conn = http.client.HTTPConnection(u.hostname, u.port or 80, timeout=30)
        data = None if body is None else body if isinstance(body, bytes) else json.dumps(body).encode()
        h = {"Content-Type": "application/json"} if body is not None else {}
        if headers and "X-Station-Signature" in headers:
            self.last_signed = (method, path, data, headers)  # for the test-only --replay-last
        conn.request(method, path, body=data, headers={**h, **(headers or {})})
        r = conn.getresponse()
        return r.status, json.loads(r.read() or b"{}")


class EventLogRequired(Exception):
    """409 event_log_required: the server does not hold the log of the digest sent; the whole log must go."""


def require_pin(der, pin):
    """The SHA-256 of the server's SubjectPublicKeyInfo must be the configured pin (what OkHttp calls sha256/...)."""
    spki = subprocess.run(["openssl", "x509", "-inform", "der", "-noout", "-pubkey"], input=der, check=True,
                          capture_output=True).stdout
    spki = subprocess.run(["openssl", "pkey", "-pubin", "-outform", "der"], input=spki, check=True,
                          capture_output=True).stdout
    seen = "sha256/" + base64.b64encode(hashlib.sha256(spki).digest()).decode()
    if seen != pin:
        sys.exit(f"server key {seen} is not the pinned {pin}: not connecting")


def jose(der):
    """ECDSA signature as JOSE r||s (RFC 7518 §3.4); tpm2_sign -f plain writes it DER-encoded: SEQUENCE { r, s }."""
    def integer(i):
        if der[i] != 0x02 or der[i + 1] > 33:
            sys.exit(f"tpm2_sign -f plain wrote no DER INTEGER at byte {i}: {der.hex()}")
        n = der[i + 1]
        return int.from_bytes(der[i + 2:i + 2 + n], "big"), i + 2 + n
    if len(der) < 8 or der[0] != 0x30 or der[1] != len(der) - 2:
        sys.exit(f"tpm2_sign -f plain wrote no DER ECDSA signature: {der.hex()}")
    r, i = integer(2)
    s, end = integer(i)
    if end != len(der):
        sys.exit(f"tpm2_sign -f plain wrote bytes after the signature: {der.hex()}")
    return r.to_bytes(32, "big") + s.to_bytes(32, "big")


def jws(d, kid, typ, payload, key):
    """The protocol's ES256 compact JWS, signed by the TPM machine key at persistent handle `key` (files in d)."""
    header = json.dumps({"alg": "ES256", "kid": kid, "typ": typ}, separators=(",", ":")).encode()
    signing_input = B64URL(header) + "." + B64URL(payload)
    msg, sig = os.path.join(d, "jws.in"), os.path.join(d, "jws.sig")
    open(msg, "wb").write(signing_input.encode())
    der = tpm("sign", "-c", key, "-g", "sha256", "-s", "ecdsa", "-f", "plain", "-o", sig, msg, out=sig)
    return signing_input + "." + B64URL(jose(der))


def signature(d, kid, method, path, raw, key):
    """X-Station-Signature over method, path, the exact body bytes, the time and a fresh nonce (one per attempt)."""
    claims = {"method": method, "path": path, "bodySha256": B64URL(hashlib.sha256(raw).digest()),
              "timestamp": int(time.time()), "nonce": B64URL(os.urandom(16))}
    return {"X-Station-Signature": jws(d, kid, "station-request+jws", json.dumps(claims).encode(), key)}


def signed(state, server, method, path, body=None):
    """A signed station request: the machine id is the kid, the body is signed as the bytes sent, by the current
    machine key (or the one --machine-key names)."""
    raw = b"" if body is None else json.dumps(body).encode()
    return server.call(method, path, raw if body is not None else None,
                       signature(state["dir"], state["machineId"], method, path, raw, state["key"]))


def certify(d, qualifying_data, key):
    """TPM2_Certify (Part 3 §18.2) of the machine key at handle `key` by the AK, sent by hand: tpm2_certify 5.4
    cannot set qualifying data (-q came in 5.5)."""
    pw = struct.pack(">IHBH", 0x40000009, 0, 0, 0)  # TPM_RS_PW, empty nonce, no attributes, empty password
    body = (struct.pack(">II", int(key, 16), int(AK_HANDLE, 16)) + struct.pack(">I", 2 * len(pw)) + pw + pw
            + struct.pack(">H", len(qualifying_data)) + qualifying_data + struct.pack(">H", 0x0010))  # inScheme NULL
    command = struct.pack(">HII", 0x8002, 10 + len(body), 0x00000148) + body
    cmd, rsp = os.path.join(d, "certify.cmd"), os.path.join(d, "certify.rsp")
    open(cmd, "wb").write(command)
    with open(cmd, "rb") as stdin:
        subprocess.run(["tpm2_send", "-o", rsp], stdin=stdin, check=True)
    r = open(rsp, "rb").read()
    tag, size, rc = struct.unpack(">HII", r[:10])
    if rc != 0:
        sys.exit(f"TPM2_Certify failed: response code 0x{rc:x}")
    params = r[14:14 + struct.unpack(">I", r[10:14])[0]]
    n = struct.unpack(">H", params[:2])[0]
    return params[2:2 + n], params[2 + n:]  # TPMS_ATTEST, TPMT_SIGNATURE


def quote(d, nonce):
    """TPM2_Quote over SHA-256 PCRs 0-7 with the server's nonce, and the PCR values it covers."""
    sel = "sha256:" + ",".join(map(str, PCRS))
    tpm("quote", "-c", AK_HANDLE, "-l", sel, "-q", nonce.hex(), "-g", "sha256",
        "-m", os.path.join(d, "quote.msg"), "-s", os.path.join(d, "quote.sig"))
    values = tpm("pcrread", sel, "-o", os.path.join(d, "pcrs.bin"), out=os.path.join(d, "pcrs.bin"))
    return {"attest": B64(open(os.path.join(d, "quote.msg"), "rb").read()),
            "signature": B64(open(os.path.join(d, "quote.sig"), "rb").read()),
            "pcrs": {str(i): B64(values[32 * k:32 * k + 32]) for k, i in enumerate(PCRS)}}


def enroll(a):
    d = os.path.abspath(a.state)
    os.makedirs(d, exist_ok=True)
    p = lambda name: os.path.join(d, name)
    if len(a.name) > 128 or not MACHINE_NAME.fullmatch(a.name):
        sys.exit(f"machine name {a.name!r} is refused by the server: 1-128 characters, a letter or digit first, then "
                 "letters, digits, . _ ( ) - and single spaces, not ending with a space")
    if a.resend:
        raw = resend_body(p("enrollment-request.json"), a.name)
    else:
        raw = json.dumps(new_enrollment(d, a.name, a.token, a.ek_chain or [])).encode()
        # kept before it is sent: the only way to get the answer again if it is lost (--resend); it holds the token
        with os.fdopen(os.open(p("enrollment-request.json"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as f:
            f.write(raw)
    # kid = the machine key's TPM Name in lower-case hex (docs/independent-station.md, "Signing the enrollment")
    kid = tpm("readpublic", "-c", MK_HANDLE, "-n", p("mk.name"), out=p("mk.name")).hex()
    server = Server(a.server, a.pin)
    path = "/api/v1/enrollments"
    status, challenge = server.exchange("POST", path, raw, signature(d, kid, "POST", path, raw, MK_HANDLE))
    if a.lose_answer:  # a test hook: the answer never reached the station; only a signed resend gets it again
        print(json.dumps({"lostAnswer": challenge, "httpStatus": status}))
        return server
    print(json.dumps({"enrollmentAnswer": challenge, "httpStatus": status}))
    activate(d, server, challenge)
    json.dump({"server": a.server, "pin": a.pin, "machineId": challenge["machineId"], "machineKeyHandle": MK_HANDLE},
              open(p("state.json"), "w"))
    return server


def new_enrollment(d, name, token, chain):
    """Makes the keys (docs section 1), has the AK certify the machine key (section 2); returns the request body."""
    p = lambda f: os.path.join(d, f)
    # The RSA EK from the TCG default template: the key of the certificate at NV 0x01C00002.
    tpm("createek", "-c", p("ek.ctx"), "-G", "rsa", "-u", p("ek.pub"))
    ek_cert = tpm("nvread", "0x01C00002", "-C", "o", "-o", p("ek.der"), out=p("ek.der"))  # may keep NV padding
    tpm("createak", "-C", p("ek.ctx"), "-c", p("ak.ctx"), "-G", "ecc", "-g", "sha256", "-s", "ecdsa", "-u", p("ak.pub"))
    persist(p("ak.ctx"), AK_HANDLE)
    make_machine_key(d, "mk", MK_HANDLE)
    info, sig = certify(d, hashlib.sha256(("station-trust:enroll:" + name).encode()).digest(), MK_HANDLE)
    request = {"machineName": name, "ekCertificate": B64(ek_cert), "ekPublic": B64(tpmt(p("ek.pub"))),
               "akPublic": B64(tpmt(p("ak.pub"))), "machineKeyPublic": B64(tpmt(p("mk.pub"))),
               "machineKeyCertifyInfo": B64(info), "machineKeyCertifySignature": B64(sig)}
    if chain:  # the intermediates between the EK certificate and a root the server trusts (DER, at most 4)
        request["ekCertificateChain"] = [B64(open(f, "rb").read()) for f in chain]
    if token:
        request["enrollmentToken"] = token
    return request


def make_machine_key(d, prefix, handle):
    """A non-restricted ECC P-256 signing key under the owner's SRK, made persistent at `handle` (docs section 1);
    its public area is written to <prefix>.pub."""
    p = lambda f: os.path.join(d, f)
    tpm("createprimary", "-C", "o", "-g", "sha256", "-G", "ecc", "-c", p("srk.ctx"))
    tpm("create", "-C", p("srk.ctx"), "-G", "ecc256:ecdsa-sha256", "-u", p(prefix + ".pub"), "-r", p(prefix + ".priv"),
        "-a", "fixedtpm|fixedparent|sensitivedataorigin|userwithauth|sign")
    tpm("load", "-C", p("srk.ctx"), "-u", p(prefix + ".pub"), "-r", p(prefix + ".priv"), "-c", p(prefix + ".ctx"))
    persist(p(prefix + ".ctx"), handle)


def persist(ctx, handle):
    """Makes a loaded object persistent at `handle`, replacing whatever an earlier run left there."""
    evict(handle)
    tpm("evictcontrol", "-C", "o", "-c", ctx, handle)


def evict(handle):
    """Removes the persistent object at `handle`, if there is one."""
    subprocess.run(["tpm2_evictcontrol", "-C", "o", "-c", handle], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def resend_body(path, name):
    """The enrollment request an earlier run sent, byte for byte: a retry must carry the same token, name and keys."""
    if not os.path.isfile(path):
        sys.exit(f"--resend: no earlier enrollment request in {path}; enroll without --resend first")
    raw = open(path, "rb").read()
    sent = json.loads(raw)["machineName"]
    if sent != name:
        sys.exit(f"--resend: the saved request enrolls {sent!r}, not {name!r}; a new name needs a new enrollment")
    return raw


def activate(d, server, challenge):
    """Section 3: recovers the secret with tpm2_activatecredential and sends it with the first quote."""
    p = lambda f: os.path.join(d, f)
    # tpm2_activatecredential reads makecredential's file: magic, version, TPM2B_ID_OBJECT, TPM2B_ENCRYPTED_SECRET.
    blob, secret = base64.b64decode(challenge["credentialBlob"]), base64.b64decode(challenge["encryptedSecret"])
    open(p("cred.bin"), "wb").write(struct.pack(">II", 0xBADCC0DE, 1) + struct.pack(">H", len(blob)) + blob
                                    + struct.pack(">H", len(secret)) + secret)
    tpm("startauthsession", "--policy-session", "-S", p("session.ctx"))
    tpm("policysecret", "-S", p("session.ctx"), "-c", "e")
    tpm("activatecredential", "-c", AK_HANDLE, "-C", p("ek.ctx"), "-i", p("cred.bin"), "-o", p("secret.bin"),
        "-P", "session:" + p("session.ctx"))
    tpm("flushcontext", p("session.ctx"))
    nonce = base64.b64decode(challenge["quoteNonce"])
    state = server.call("POST", f"/api/v1/enrollments/{challenge['machineId']}/activation",
                        {"secret": B64(open(p("secret.bin"), "rb").read()),
                         "quote": {"nonce": challenge["quoteNonce"], **quote(d, nonce)}})
    print(json.dumps(state))


def load(a, recovering=False):
    path = os.path.join(a.state, "state.json")
    if not os.path.isfile(path):
        sys.exit(f"no enrolled station in {a.state}: run enroll first")
    state = json.load(open(path))
    if "pendingMachineKeyHandle" in state and not recovering:
        # the server may hold either key: signing with the wrong one would only be refused (signature_invalid)
        sys.exit(f"the answer to the key rotation to {state['pendingMachineKeyHandle']} never arrived, so the server "
                 f"may hold either key: run recover-rotation --state {a.state} first")
    state["dir"] = os.path.abspath(a.state)
    state.setdefault("machineKeyHandle", MK_HANDLE)  # a state written before key rotation existed
    state["key"] = a.machine_key or state["machineKeyHandle"]  # the key that signs this run's requests
    return state, Server(state["server"], state["pin"])


def save(state):
    json.dump({k: v for k, v in state.items() if k not in ("dir", "key")},
              open(os.path.join(state["dir"], "state.json"), "w"))


def attest(a):
    state, server = load(a)
    log = read_event_log(a.event_log) if a.event_log else None
    unsigned = a.unsigned
    if unsigned and log is not None and state.get("eventLogSha256") != hashlib.sha256(log).hexdigest():
        # the whole log travels only in the signed exchange (the unsigned one takes the standard body size)
        print("the server does not hold this boot event log yet: sending it in the signed exchange", file=sys.stderr)
        unsigned = False
    try:
        result = quote_exchange(state, server, unsigned, log, whole_log=False)
    except EventLogRequired:
        print("the server does not hold this boot event log: sending it whole, signed", file=sys.stderr)
        result = quote_exchange(state, server, False, log, whole_log=True)
    if "eventLogSha256" in result:  # the log the server now holds: its digest alone will do next time
        state["eventLogSha256"] = result["eventLogSha256"]
        save(state)
    print(json.dumps(result))
    return server


def quote_exchange(state, server, unsigned, log, whole_log):
    """Section 5: a nonce, a quote over it, and the boot event log whole or by the digest the server holds."""
    d, machine = state["dir"], state["machineId"]
    if unsigned:
        # the quote authenticates the exchange: no machine-key signature on either request (server-api.md)
        issued = server.call("POST", "/api/v1/attestation/nonces", {"purpose": "quote", "machineId": machine})
        held = state.get("eventLogSha256")
    else:
        issued = signed(state, server, "POST", "/api/v1/attestation/nonces", {"purpose": "quote"})
        held = issued.get("eventLogSha256")
    body = {"nonce": issued["nonce"], **quote(d, base64.b64decode(issued["nonce"]))}
    if log is not None:
        digest = hashlib.sha256(log).hexdigest()
        if held == digest and not whole_log:
            body["eventLogSha256"] = digest
        else:
            body["eventLog"] = B64(log)
        print(f"boot event log: sent {'its SHA-256 only' if 'eventLogSha256' in body else 'whole'}, "
              f"{'unsigned' if unsigned else 'signed'}", file=sys.stderr)
    if unsigned:
        return server.call("POST", "/api/v1/attestation/quotes", {**body, "machineId": machine})
    return signed(state, server, "POST", "/api/v1/attestation/quotes", body)


def read_event_log(path):
    """The boot event log (Linux: /sys/kernel/security/tpm0/binary_bios_measurements, root only), at most 1 MiB."""
    log = open(path, "rb").read()
    if not log or len(log) > 1 << 20:
        sys.exit(f"boot event log {path} has {len(log)} bytes: the server takes 1 byte to 1 MiB")
    return log


def packet(a):
    state, server = load(a)
    if a.verify_saved:
        compact = open(a.verify_saved).read().strip()
    else:
        compact = new_packet(state)
    if a.save_to:  # kept unsent, e.g. to be verified later, after a key rotation
        with open(a.save_to, "w") as f:
            f.write(compact + "\n")
        print(json.dumps({"savedPacket": a.save_to, "machineKeyHandle": state["key"]}))
        return server
    print(json.dumps(signed(state, server, "POST", "/api/v1/packets/verify", {"packet": compact})))
    return server


def new_packet(state):
    """A capture packet with placeholder biometrics, signed by the machine key (section 6)."""
    h = "AB" * 32
    payload = {"type": "capture-packet", "version": 1, "packetId": "indep-" + B64URL(os.urandom(6)),
               "machineId": state["machineId"], "machineName": "independent", "registrationId": "R-1",
               "consentReference": "consent-1", "operator": "op-1", "createdAt": "2026-12-01T10:00:00Z",
               "modality": "Face", "deviceSubId": 0, "transactionId": "tx-1", "previousHash": h, "lastHash": h,
               "exceptions": [], "device": {"deviceId": "1", "serialNo": "S", "make": "M", "model": "M",
                                            "provider": "P", "deviceCode": "S", "certification": "L0", "firmware": "1"},
               "biometrics": [{"bioType": "Face", "bioSubType": "", "qualityScore": 90, "requestedScore": 40,
                               "timestamp": "2026-12-01T10:00:00Z", "hash": h, "data": "eyJ.eyJ.c2ln"}]}
    return jws(state["dir"], state["machineId"], "capture-packet+jws", json.dumps(payload).encode(), state["key"])


def status(a):
    """server-api.md, "Enrollment" step 4: the enrollment's state, polled unsigned until ACTIVE or REJECTED."""
    state, server = load(a)
    print(json.dumps(server.call("GET", f"/api/v1/enrollments/{state['machineId']}")))
    return server


def rotate(a):
    """Section 7: a new machine key next to the current one, certified by the AK over a key-rotation nonce, sent
    signed by the current key; the new one then signs everything and the old one is evicted."""
    state, server = load(a)
    d, old = state["dir"], state["machineKeyHandle"]
    new = MK_HANDLES[1] if old == MK_HANDLES[0] else MK_HANDLES[0]
    issued = signed(state, server, "POST", "/api/v1/attestation/nonces", {"purpose": "key-rotation"})
    nonce = base64.b64decode(issued["nonce"])
    if issued.get("purpose") != "key-rotation" or len(nonce) != 32:
        sys.exit(f"the server issued no 32-byte key-rotation nonce: purpose {issued.get('purpose')!r}, "
                 f"{len(nonce)} bytes")
    make_machine_key(d, "mk-next", new)
    info, sig = certify(d, nonce, new)  # qualifying data: the nonce's 32 bytes, not its text, not a hash of it
    raw = json.dumps({"nonce": issued["nonce"], "machineKeyPublic": B64(tpmt(os.path.join(d, "mk-next.pub"))),
                      "certifyInfo": B64(info), "certifySignature": B64(sig)}).encode()
    # Noted before sending: once the request has left, the server may hold the new key even if no answer comes back,
    # and only recover-rotation may then tell which key signs (server-api.md, "Which key the server accepts"). The
    # nonce too: recover-rotation withdraws it before it gives up the new key (server-api.md, "Withdrawing a
    # rotation"), for the request may only be delayed.
    state["pendingMachineKeyHandle"] = new
    state["pendingRotationNonce"], state["pendingRotationNonceExpiresAt"] = issued["nonce"], issued.get("expiresAt")
    save(state)
    path = "/api/v1/stations/key-rotation"
    if a.lose_request:  # a test hook: the request never reached the server (or is still on its way: --save-to)
        if a.save_to:
            with open(a.save_to, "w") as f:
                json.dump({"path": path, "body": raw.decode(),
                           "signature": signature(d, state["machineId"], "POST", path, raw, old)["X-Station-Signature"]},
                          f)
        print(json.dumps({"requestNotSent": True, "machineKeyHandle": old, "pendingMachineKeyHandle": new}))
        return server
    try:
        status, answer = server.send("POST", path, raw, signature(d, state["machineId"], "POST", path, raw, old))
    except (OSError, http.client.HTTPException, ValueError) as e:
        sys.exit(f"POST {path}: no answer ({e}); the server may hold either key: run recover-rotation")
    if a.lose_answer:  # a test hook: the answer never reached the station
        print(json.dumps({"lostAnswer": answer, "httpStatus": status, "pendingMachineKeyHandle": new}))
        return server
    if 400 <= status < 500:  # refused: the server kept the current key
        forget_pending(state)
        save(state)
        evict(new)
        sys.exit(f"POST {path}: HTTP {status} {answer.get('error', answer)}; the key at {old} stays current")
    if status != 200:
        sys.exit(f"POST {path}: HTTP {status} {answer.get('error', answer)}; the server may hold either key: "
                 "run recover-rotation")
    keep(state, new, None if a.keep_old_key else old)
    print(json.dumps({**answer, "machineKeyHandle": new, "previousMachineKeyHandle": old}))
    return server


def keep(state, key, other):
    """From now on `key` signs everything; `other` (unless None) is evicted: the server no longer accepts it."""
    state["machineKeyHandle"] = key
    forget_pending(state)
    save(state)
    if other is not None:
        evict(other)


def forget_pending(state):
    for k in ("pendingMachineKeyHandle", "pendingRotationNonce", "pendingRotationNonceExpiresAt"):
        state.pop(k, None)


# After the signature verified, these refusals can still come (server-api.md, "Which key the server accepts"):
# they too show that the signing key is the one the server holds.
AFTER_SIGNATURE = ("timestamp_out_of_range", "machine_not_active", "machine_unattested", "request_replayed")


def recover_rotation(a):
    """server-api.md, "Which key the server accepts": after a rotation whose answer was lost, GET /api/v1/stations/me
    signed by each key in turn. The server accepts at most one. The new key is kept as soon as it is accepted; the
    current key only once the rotation is withdrawn ("Withdrawing a rotation"): a request that was only delayed could
    otherwise still switch the server to the key evicted here. Anything unclear ends the run with both keys kept."""
    state, server = load(a, recovering=True)
    pending = state.get("pendingMachineKeyHandle")
    if pending is None:
        sys.exit(f"no key rotation in {a.state} is waiting for its answer: nothing to recover")
    previous = state["machineKeyHandle"]
    if accepted(state, server, pending):
        return kept(state, server, pending, previous, None)
    if not accepted(state, server, previous):
        sys.exit(f"the server accepts neither the key at {previous} nor the one at {pending} (signature_invalid for "
                 "both): this station must enroll again")
    withdrawal = withdraw(state, server, previous)
    if withdrawal != "signature_invalid":
        return kept(state, server, previous, pending, withdrawal)
    # the delayed rotation took effect between the question and the withdrawal: the new key it is
    if accepted(state, server, pending):
        return kept(state, server, pending, previous, None)
    sys.exit(f"the server stopped accepting the key at {previous} while the rotation was withdrawn, yet refuses the "
             f"one at {pending}: run recover-rotation again")


def accepted(state, server, key):
    """Whether the server accepts the key at `key` (a signed GET /api/v1/stations/me); signature_invalid says no, and
    an answer that tells neither ends the run."""
    path = "/api/v1/stations/me"
    status, answer = server.send("GET", path, None, signature(state["dir"], state["machineId"], "GET", path, b"", key))
    code = answer.get("error", {}).get("code")
    state["answer"] = {"keyId": answer.get("keyId"), "httpStatus": status, **({"error": code} if code else {})}
    if status == 200 or code in AFTER_SIGNATURE:
        return True
    if code != "signature_invalid":
        sys.exit(f"GET {path} signed by the key at {key}: HTTP {status} {answer.get('error', answer)}; this does "
                 "not tell whether the server holds that key: try recover-rotation again later")
    return False


# Without a noted nonce (a state written by an older version of this script), nothing can be withdrawn: the key is
# given up only once a delayed request can no longer take effect, the nonce's 2 minutes and the 60 s timestamp window
# after the state was saved with the pending mark (no other command writes it while a rotation is pending).
UNNOTED_NONCE_SECONDS = 180


def withdraw(state, server, key):
    """server-api.md, "Withdrawing a rotation", signed by the key at `key` (the one the server accepts): its outcome
    (withdrawn, already-withdrawn, expired), or signature_invalid when the rotation has just taken effect. Anything
    else ends the run, both keys kept."""
    nonce = state.get("pendingRotationNonce")
    if nonce is None:
        age = time.time() - os.path.getmtime(os.path.join(state["dir"], "state.json"))
        if age < UNNOTED_NONCE_SECONDS:
            sys.exit(f"this rotation's nonce was not noted, so it cannot be withdrawn: run recover-rotation again in "
                     f"{int(UNNOTED_NONCE_SECONDS - age) + 1} s, when a delayed request can no longer take effect")
        return "expired"
    path = "/api/v1/stations/key-rotation/withdrawal"
    raw = json.dumps({"nonce": nonce}).encode()
    status, answer = server.send("POST", path, raw, signature(state["dir"], state["machineId"], "POST", path, raw, key))
    code = answer.get("error", {}).get("code")
    if status == 200 and answer.get("outcome") in ("withdrawn", "already-withdrawn", "expired"):
        return answer["outcome"]
    if code == "signature_invalid":
        return code
    sys.exit(f"POST {path}: HTTP {status} {answer.get('error', answer)}; the rotation is not withdrawn, so both keys "
             "stay: try recover-rotation again later")


def kept(state, server, key, other, withdrawal):
    """Ends the recovery: `key` signs from now on, `other` is evicted; prints what the server said."""
    answer, rotated = state.pop("answer"), key == state["pendingMachineKeyHandle"]
    keep(state, key, other)
    print(json.dumps({"machineKeyHandle": key, "rotated": rotated, "evicted": other, **answer,
                      **({"withdrawal": withdrawal} if withdrawal else {})}))
    return server


def replay_last(server):
    """Test-only: the last signed request again, byte for byte (body and headers); the server must refuse it
    (request_replayed). Prints the answer whatever it is; the test judges it."""
    if server is None or server.last_signed is None:
        sys.exit("--replay-last: this command sent no signed request")
    code, answer = server.send(*server.last_signed)
    print(json.dumps({"replayed": {"httpStatus": code, **answer}}))


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = {"enroll": enroll, "status": status, "attest": attest, "packet": packet, "rotate": rotate,
                "recover-rotation": recover_rotation}
    ap.add_argument("command", choices=list(commands))
    ap.add_argument("--state", required=True)
    ap.add_argument("--server")
    ap.add_argument("--name")
    ap.add_argument("--pin")
    ap.add_argument("--token")
    ap.add_argument("--unsigned", action="store_true", help="attest: the unsigned exchange (the quote authenticates it)")
    ap.add_argument("--ek-chain", nargs="+", metavar="DER",
                    help="enroll: intermediate CA certificates (DER, at most 4) the server's EK trust store lacks")
    ap.add_argument("--event-log", help="attest: the boot event log (binary_bios_measurements) for the server's boot "
                    "policy; sent whole once, then by its SHA-256 while the server holds it")
    ap.add_argument("--resend", action="store_true",
                    help="enroll: send the saved enrollment request again, signed with a fresh nonce (its answer was lost)")
    ap.add_argument("--lose-answer", action="store_true",
                    help="enroll, rotate (tests only): print the answer as lost and stop before using it, as if it "
                    "never arrived")
    ap.add_argument("--lose-request", action="store_true",
                    help="rotate (tests only): stop before sending the rotation request, as if it never reached the "
                    "server")
    ap.add_argument("--save-to", metavar="FILE", help="packet: sign the packet and keep it in FILE, unsent; "
                    "rotate --lose-request (tests only): keep the signed rotation request in FILE, to be sent later")
    ap.add_argument("--verify-saved", metavar="FILE",
                    help="packet: have the server verify the packet an earlier run kept in FILE")
    ap.add_argument("--keep-old-key", action="store_true",
                    help="rotate (tests only): leave the old machine key in the TPM, so a test can show it is refused")
    ap.add_argument("--machine-key", metavar="HANDLE", choices=MK_HANDLES,
                    help="attest, packet (tests only): sign with the machine key at this handle, not the current one")
    ap.add_argument("--replay-last", action="store_true",
                    help="any command (tests only): send its last signed request again, byte for byte, and print "
                    "the answer; the server must refuse it (request_replayed)")
    a = ap.parse_args()
    if a.command == "enroll" and (a.server is None or a.name is None):
        ap.error("enroll needs --server and --name")
    if a.ek_chain and len(a.ek_chain) > 4:
        ap.error(f"--ek-chain takes at most 4 certificates (the server refuses more), got {len(a.ek_chain)}")
    if a.command == "enroll" and a.resend and (a.token or a.ek_chain):
        ap.error("--resend sends the saved request, its token and EK chain included: leave out --token and --ek-chain")
    if a.command == "enroll" and a.server.startswith("https") and not a.pin:
        ap.error("an https server needs --pin sha256/BASE64 (SubjectPublicKeyInfo SHA-256)")
    if a.machine_key and a.command not in ("attest", "packet"):
        ap.error("--machine-key is for attest and packet only: enroll and rotate choose their keys themselves")
    if a.keep_old_key and a.command != "rotate":
        ap.error("--keep-old-key is for rotate only")
    if a.lose_answer and a.command not in ("enroll", "rotate"):
        ap.error("--lose-answer is for enroll and rotate only")
    if a.lose_request and a.command != "rotate":
        ap.error("--lose-request is for rotate only")
    if a.lose_request and a.lose_answer:
        ap.error("--lose-request sends nothing, so there is no answer to lose: choose one")
    if a.verify_saved and a.command != "packet":
        ap.error("--verify-saved is for packet only")
    if a.save_to and a.command != "packet" and not (a.command == "rotate" and a.lose_request):
        ap.error("--save-to is for packet and rotate --lose-request only")
    if a.save_to and a.verify_saved:
        ap.error("--save-to keeps a new packet, --verify-saved sends a kept one: choose one")
    server = commands[a.command](a)
    if a.replay_last:
        replay_last(server)
