package org.stationtrust.sbi.client;

/**
 * Why an SBI answer was not trusted. Each value is one check of docs/sbi-protocol.md "What the station checks on every
 * answer"; each has a hint telling the operator what to do.
 */
public enum RejectionReason {
    DEVICE_UNREACHABLE("nothing accepted the connection", "start the device service or check the port"),
    TIMEOUT("the device did not finish its answer before the deadline",
            "check the device is not hung; unplug and replug it"),
    ANSWER_TOO_LARGE("the answer is larger than the configured cap",
            "the device is faulty or not an SBI service; raise the cap only if a real device needs it"),
    HTTP_STATUS("the service answered with an HTTP status other than 200",
            "the port is probably held by another program or an SBI service of another version"),
    MALFORMED_ANSWER("the answer is not a well-formed SBI 0.9.5 message (JSON, base64 or fields)",
            "report the device to its vendor; do not use it"),
    DEVICE_ERROR("the device reported an error", "follow the device error code; retry the capture"),
    DEVICE_BUSY("the device is busy", "wait for the running capture to end and retry"),
    DEVICE_NOT_READY("the device is not ready", "check the device is connected and idle, then retry"),
    NOT_REGISTERED("the device is not registered (its answer is unsigned)",
            "register the device with its provider before using it"),
    JWS_MALFORMED("the signed object is not a well-formed compact JWS", "report the device to its vendor"),
    ALGORITHM_NOT_ALLOWED("the JWS algorithm is not allowed by policy (alg none is never allowed)",
            "do not use this device; ask the vendor for an RS256 firmware"),
    CERTIFICATE_MISSING("the JWS header carries no x5c device certificate", "do not use this device"),
    CERTIFICATE_MALFORMED("the x5c device certificate cannot be parsed", "do not use this device"),
    CERTIFICATE_EXPIRED("the device certificate has expired", "have the device provider renew the device key"),
    CERTIFICATE_NOT_YET_VALID("the device certificate is not valid yet",
            "check the station clock, then the device provider"),
    CERTIFICATE_UNTRUSTED("the device certificate does not chain to a trusted device-provider CA (an FTM-provider CA "
            + "cannot vouch for a device key)",
            "add the provider CA to the trust store only if the provider is approved"),
    FTM_TRUST_NOT_CONFIGURED("the device is certified L1, so an FTM chip key signs its digitalId, but the station "
            + "trusts no FTM-provider CA to judge that key (device-provider CAs never vouch for chip keys)",
            "configure the approved FTM providers' root certificates (station agent: devices.ftm_trust_store) to use L1 "
                    + "devices; until then L1 devices are refused"),
    FTM_CERTIFICATE_UNTRUSTED("the FTM chip certificate that signs an L1 device's digitalId does not chain to a "
            + "trusted FTM-provider CA (a device-provider CA cannot vouch for it)",
            "do not use this device; add the FTM provider's CA to the FTM trust store only if that FTM provider is "
                    + "approved"),
    CERTIFICATE_KEY_TOO_WEAK("a certificate of the device's x5c chain holds a key weaker than SBI allows "
            + "(RSA under 2048 bits, EC under 256 bits, or another kind)",
            "do not use this device; have its provider issue RSA keys of 2048 bits or more"),
    SIGNATURE_INVALID("the JWS signature does not verify with the device certificate",
            "the answer was altered or the device is faulty: do not use it"),
    DIGITAL_ID_UNSIGNED("the digitalId is not signed", "do not use this device"),
    DIGITAL_ID_SIGNER_INVALID("the digitalId is not signed by the key the device's certification level requires "
            + "(L0: the device key; L1: the FTM chip key, another key)",
            "do not use this device; report it to its provider (its digitalId may be copied from another device)"),
    SIGNER_MISMATCH("the capture data is not signed by the device key that signed the device info read at discovery",
            "the device's signing key changed since discovery, or another device answered: discover devices (or refresh "
                    + "this one) to read its device info again, then capture again"),
    DIGITAL_ID_MISMATCH("the digitalId does not describe the device found by discovery/info",
            "another device answered; rediscover devices"),
    DEVICE_MISMATCH("deviceId, deviceCode, certification or callbackId differ between answers",
            "rediscover devices; report the device if it persists"),
    ENVIRONMENT_MISMATCH("the device or answer names another environment (env) than the station is configured for",
            "use a device registered for this station's environment (e.g. Staging, Production), or correct the "
                    + "station's configured environment"),
    PURPOSE_MISMATCH("the device or answer purpose is not the one requested", "use a device certified for this purpose"),
    SPEC_VERSION_MISMATCH("the answer does not echo the spec version requested", "use a device supporting SBI 0.9.5"),
    TRANSACTION_ID_MISMATCH("the answer does not echo the transactionId of the request",
            "the answer belongs to another request: retry the capture"),
    BIO_TYPE_MISMATCH("the answer carries another biometric type than requested", "retry with the right device"),
    BIO_SUBTYPE_NOT_REQUESTED("the answer carries a bioSubType that was not requested (or was an exception)",
            "retry the capture"),
    BIO_SUBTYPE_DUPLICATE("the answer carries the same bioSubType twice", "retry the capture"),
    COUNT_MISMATCH("the answer carries another number of biometrics than requested", "retry the capture"),
    TIMESTAMP_TOO_OLD("the answer timestamp is older than the allowed skew",
            "check the device and station clocks; a replayed answer looks like this"),
    TIMESTAMP_IN_FUTURE("the answer timestamp is later than the allowed skew", "check the device and station clocks"),
    QUALITY_MALFORMED("the quality score is not a number between 0 and 100", "report the device to its vendor"),
    QUALITY_BELOW_THRESHOLD("the quality score is below the requested threshold", "clean the sensor and capture again"),
    HASH_CHAIN_BROKEN("the hash chain over the biometrics does not recompute",
            "an answer was altered, dropped or reordered: restart the registration");

    private final String meaning;
    private final String action;

    RejectionReason(String meaning, String action) {
        this.meaning = meaning;
        this.action = action;
    }

    /** What this reason means, for an operator. */
    public String meaning() {
        return meaning;
    }

    /** What the operator should do. */
    public String action() {
        return action;
    }
}
