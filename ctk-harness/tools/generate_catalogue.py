#!/usr/bin/env python3
"""Writes src/main/resources/catalogue/sbi-0.9.5.json, the ctk-harness test catalogue.

The catalogue is data: the harness reads the JSON, never this script. The script only exists so
that the 200+ entries stay consistent (names, validators, MOSIP id mapping) when one rule changes.
Run from the module directory:  python3 tools/generate_catalogue.py
"""
import json
import pathlib

SPEC = "0.9.5"
EMPTY_HASH = "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"

LEFT_SLAP = ["Left IndexFinger", "Left MiddleFinger", "Left RingFinger", "Left LittleFinger"]
RIGHT_SLAP = ["Right IndexFinger", "Right MiddleFinger", "Right RingFinger", "Right LittleFinger"]
THUMBS = ["Left Thumb", "Right Thumb"]
ALL_FINGERS = LEFT_SLAP + ["Left Thumb"] + RIGHT_SLAP + ["Right Thumb"]

# Checks every successful capture answer gets, whatever the purpose (SBI 0.9.5 §Capture, §RCapture).
CAPTURE_CHECKS = ["schema", "signature", "trust", "digital-id", "echo", "bio-subtype",
                  "quality-range", "timestamp", "hash-chain", "response-time", "error-code"]
AUTH_CHECKS = CAPTURE_CHECKS + ["decryption"]
ERROR_CHECKS = ["schema", "error-code", "response-time"]

cases = []


def case(cid, name, description, purpose, category, types, subtypes, methods, validators,
         request=None, expect=None, steps=None, operator=False, tags=None, mosip=None):
    if "schema" in validators and "mosip-schema" not in validators:
        validators = ["schema", "mosip-schema"] + [v for v in validators if v != "schema"]
    entry = {
        "id": cid,
        "name": name,
        "description": description,
        "specVersion": SPEC,
        "purpose": purpose,
        "category": category,
        "deviceTypes": types,
        "deviceSubTypes": subtypes,
        "methods": methods,
        "request": request or {},
        "expect": expect or {"errorCode": "0"},
        "humanSteps": steps or [],
        "needsOperator": operator,
        "tags": sorted(set((tags or []) + [category, purpose.lower()] + [t.lower() for t in types])),
        "validators": validators,
        "mosipIds": mosip or [],
    }
    cases.append(entry)
    return entry


def capture_request(sub_id, count, subtypes, exceptions=None, score="40", timeout_ms=10000, **extra):
    req = {"deviceSubId": sub_id, "count": count, "bioSubType": subtypes,
           "exception": exceptions or [], "requestedScore": score, "timeoutMs": timeout_ms}
    req.update(extra)
    return req


# ---------------------------------------------------------------- discovery, info, status
case("DISC-OWN-TYPE", "Discovery by the device's own modality",
     "MOSIPDISC with the device's modality must list the device with an unsigned digitalId, "
     "a callbackId on 127.0.0.1 and the spec versions it speaks.",
     "Any", "discovery", ["Finger", "Iris", "Face"], ["Slap", "Single", "Touchless", "Double", "Full face"],
     ["MOSIPDISC"], ["schema", "digital-id", "response-time"],
     request={"discoveryType": "own"}, expect={"errorCode": "0"}, mosip=["SBI1000"])
case("DISC-ANY-DEVICE", "Discovery with the generic type",
     "MOSIPDISC with type \"Biometric Device\" must list the device too.",
     "Any", "discovery", ["Finger", "Iris", "Face"], ["Slap", "Single", "Touchless", "Double", "Full face"],
     ["MOSIPDISC"], ["schema", "digital-id", "response-time"],
     request={"discoveryType": "Biometric Device"})
case("DISC-UNKNOWN-TYPE", "Discovery with the device's type upper-cased",
     "MOSIPDISC with the device's own type in upper case (e.g. FINGER) is not one of the types SBI 0.9.5 "
     "names, so the device must not list itself as if it matched: an error element is expected (the spec "
     "profile also accepts an empty list; MOSIP's toolkit requires the error element).",
     "Any", "discovery", ["Finger", "Iris", "Face"], ["Slap", "Single", "Touchless", "Double", "Full face"],
     ["MOSIPDISC"], ["schema", "error-code", "response-time"],
     request={"discoveryType": "upper"}, expect={"errorCode": "nonzero-or-empty"},
     mosip=["SBI1196"])
case("INFO-SIGNED", "Device info is signed and trusted",
     "MOSIPDINFO must answer a JWS signed by the device key whose certificate chains to the vendor "
     "CA, with a signed digitalId describing the same device as discovery and dated by a clock "
     "within the allowed skew.",
     "Any", "device-info", ["Finger", "Iris", "Face"], ["Slap", "Single", "Touchless", "Double", "Full face"],
     ["MOSIPDINFO"], ["schema", "signature", "trust", "digital-id", "timestamp", "response-time", "error-code"],
     mosip=["SBI1001"])
case("STATUS-READY", "Device reports Ready",
     "A connected, registered, idle device must report deviceStatus Ready in its signed info.",
     "Any", "device-status", ["Finger", "Iris", "Face"], ["Slap", "Single", "Touchless", "Double", "Full face"],
     ["MOSIPDINFO"], ["schema", "signature", "trust", "device-status", "error-code"],
     expect={"errorCode": "0", "deviceStatus": "Ready"}, mosip=["SBI1026"])
case("STATUS-BUSY", "Device reports Busy",
     "While the device is held busy by another client, info must report deviceStatus Busy.",
     "Any", "device-status", ["Finger", "Iris", "Face"], ["Slap", "Single", "Touchless", "Double", "Full face"],
     ["MOSIPDINFO"], ["schema", "signature", "trust", "device-status", "error-code"],
     expect={"deviceStatus": "Busy", "errorCode": "0"}, operator=True,
     steps=["Make the device busy (start a capture from another client), then press Enter.",
            "After the case, release the device."], mosip=["SBI1027"])
case("STATUS-NOT-READY", "Device reports Not Ready",
     "With the sensor disconnected, info must report deviceStatus Not Ready.",
     "Any", "device-status", ["Finger", "Iris", "Face"], ["Slap", "Single", "Touchless", "Double", "Full face"],
     ["MOSIPDINFO"], ["schema", "signature", "trust", "device-status", "error-code"],
     expect={"deviceStatus": "Not Ready", "errorCode": "0"}, operator=True,
     steps=["Disconnect the sensor from the host, then press Enter.",
            "After the case, reconnect it."], mosip=["SBI1028"])
case("STATUS-NOT-REGISTERED", "Device reports Not Registered",
     "An unregistered device must answer deviceStatus Not Registered, an unsigned deviceInfo "
     "and error 100.",
     "Any", "device-status", ["Finger", "Iris", "Face"], ["Slap", "Single", "Touchless", "Double", "Full face"],
     ["MOSIPDINFO"], ["schema", "device-status", "error-code"],
     expect={"deviceStatus": "Not Registered", "errorCode": "100"}, operator=True,
     steps=["Use a device that is not registered, then press Enter.",
            "After the case, register it again."], mosip=["SBI1029"])

# ---------------------------------------------------------------- registration capture
REG = [
    ("REG-LEFT-SLAP", "left slap", "Finger", "Slap", "1", "4", LEFT_SLAP, [], "SBI1002",
     "Place the four fingers of the left hand on the slap sensor."),
    ("REG-LEFT-SLAP-ONE-EXCEPTION", "left slap without the ring finger", "Finger", "Slap", "1", "3",
     ["Left IndexFinger", "Left MiddleFinger", "Left LittleFinger"], ["Left RingFinger"], "SBI1003",
     "Place the left hand on the slap sensor, keeping the ring finger off it."),
    ("REG-RIGHT-SLAP", "right slap", "Finger", "Slap", "2", "4", RIGHT_SLAP, [], "SBI1004",
     "Place the four fingers of the right hand on the slap sensor."),
    ("REG-RIGHT-SLAP-TWO-EXCEPTIONS", "right slap without index and middle fingers", "Finger", "Slap",
     "2", "2", ["Right RingFinger", "Right LittleFinger"], ["Right IndexFinger", "Right MiddleFinger"],
     "SBI1005", "Place the right ring and little fingers only."),
    ("REG-THUMBS", "both thumbs", "Finger", "Slap", "3", "2", THUMBS, [], "SBI1006",
     "Place both thumbs on the slap sensor."),
    ("REG-THUMBS-ONE-EXCEPTION", "right thumb only", "Finger", "Slap", "3", "1", ["Right Thumb"],
     ["Left Thumb"], "SBI1007", "Place the right thumb only."),
    ("REG-IRIS-DOUBLE", "both irises", "Iris", "Double", "3", "2", ["Left", "Right"], [], "SBI1009",
     "Look into the iris camera with both eyes open."),
    ("REG-IRIS-DOUBLE-ONE-EXCEPTION", "right iris only", "Iris", "Double", "3", "1", ["Right"], ["Left"],
     "SBI1010", "Look into the iris camera with the left eye covered."),
    ("REG-FACE", "face", "Face", "Full face", "0", "1", [], [], "SBI1012",
     "Face the camera until the capture completes."),
]
for cid, what, typ, sub, sid, count, subtypes, exc, mid, step in REG:
    case(cid, f"Registration capture: {what}",
         f"RCAPTURE of the {what}; every answer element must be signed, trusted, echo the request and "
         f"carry only requested bioSubTypes with a chained hash.",
         "Registration", "registration-capture", [typ], [sub], ["RCAPTURE"], CAPTURE_CHECKS,
         request=capture_request(sid, count, subtypes, exc), steps=[step], mosip=[mid])

for cid, what, typ, sub, sid, exc, mid, step in [
    ("REG-THUMBS-BOTH-EXCEPTIONS", "thumbs with both thumbs excepted", "Finger", "Slap", "3", THUMBS,
     "SBI1008", "Keep the sensor empty."),
    ("REG-IRIS-BOTH-EXCEPTIONS", "irises with both irises excepted", "Iris", "Double", "3",
     ["Left", "Right"], "SBI1011", "Do not look into the camera."),
]:
    case(cid, f"Registration capture: {what}",
         f"RCAPTURE asking for count 0 with every subtype excepted must answer an error, not a capture.",
         "Registration", "registration-capture", [typ], [sub], ["RCAPTURE"], ERROR_CHECKS,
         request=capture_request(sid, "0", [], exc), expect={"errorCode": "nonzero"}, steps=[step],
         mosip=[mid])

case("REG-EXCEPTION-PHOTO", "Registration capture: exception photo",
     "RCAPTURE of a face with an exception listed asks for the exception photo; the answer must be a "
     "valid signed face capture.",
     "Registration", "registration-capture", ["Face"], ["Full face"], ["RCAPTURE"], CAPTURE_CHECKS,
     request=capture_request("0", "1", [], ["Left LittleFinger"], score="10"),
     steps=["Face the camera showing the hands with the missing finger."], mosip=["SBI1013"])
for cid, what, typ, sub, sid, count, mid in [
    ("REG-LEFT-SLAP-NO-SUBTYPES", "left slap without bioSubType", "Finger", "Slap", "1", "4", "SBI1197"),
    ("REG-IRIS-DOUBLE-NO-SUBTYPES", "both irises without bioSubType", "Iris", "Double", "3", "2", "SBI1198"),
    ("REG-FACE-NO-SUBTYPES", "face without bioSubType", "Face", "Full face", "0", "1", "SBI1199"),
]:
    case(cid, f"Registration capture: {what}",
         "RCAPTURE with an empty bioSubType list: the device picks the subtypes of the segment and "
         "must still return count distinct, correctly named ones.",
         "Registration", "registration-capture", [typ], [sub], ["RCAPTURE"], CAPTURE_CHECKS,
         request=capture_request(sid, count, []), steps=["Present the biometric asked for."],
         mosip=[mid])

# ---------------------------------------------------------------- authentication capture
AUTH = [
    ("AUTH-FACE", "face", "Face", "Full face", "1", [], "SBI1014", "Face the camera."),
    ("AUTH-IRIS-UNKNOWN", "one iris of either eye", "Iris", "Single", "1", ["UNKNOWN"], "SBI1015",
     "Look into the iris camera with one eye."),
    ("AUTH-IRIS-LEFT", "left iris", "Iris", "Single", "1", ["Left"], "SBI1016",
     "Look into the iris camera with the left eye."),
    ("AUTH-IRIS-RIGHT", "right iris", "Iris", "Single", "1", ["Right"], "SBI1017",
     "Look into the iris camera with the right eye."),
    ("AUTH-FINGER-UNKNOWN", "any one finger", "Finger", "Single", "1", ["UNKNOWN"], "SBI1018",
     "Place any finger on the sensor."),
    ("AUTH-FINGER-TWO-UNKNOWN", "two unnamed fingers", "Finger", "Single", "2", ["UNKNOWN", "UNKNOWN"],
     "SBI1019", "Place two fingers one after the other."),
    ("AUTH-FINGER-LEFT-INDEX", "left index finger", "Finger", "Single", "1", ["Left IndexFinger"],
     "SBI1020", "Place the left index finger."),
    ("AUTH-FINGER-TWO-NAMED", "left index and middle fingers", "Finger", "Single", "2",
     ["Left IndexFinger", "Left MiddleFinger"], "SBI1021", "Place the left index then middle finger."),
    ("AUTH-FINGER-TEN", "all ten fingers", "Finger", "Single", "10", ALL_FINGERS, "SBI1058",
     "Place each of the ten fingers in turn."),
    ("AUTH-IRIS-TWO", "both irises one after the other", "Iris", "Single", "2", ["Left", "Right"],
     "SBI1059", "Present the left then the right eye."),
]
for cid, what, typ, sub, count, subtypes, mid, step in AUTH:
    case(cid, f"Authentication capture: {what}",
         f"CAPTURE of the {what}; biometrics are encrypted to the harness key, which decrypts them to "
         f"judge them offline.",
         "Auth", "auth-capture", [typ], [sub], ["CAPTURE"], AUTH_CHECKS,
         request=capture_request("0", count, subtypes, timeout_ms=10000), steps=[step], mosip=[mid])

# ---------------------------------------------------------------- bio count mismatch
MISMATCH = [
    ("AUTH-FINGER-COUNT-MISMATCH", "Auth", "Finger", "Single", "0", "11", "SBI1030"),
    ("AUTH-IRIS-COUNT-MISMATCH", "Auth", "Iris", "Single", "0", "3", "SBI1031"),
    ("AUTH-FACE-COUNT-MISMATCH", "Auth", "Face", "Full face", "0", "2", "SBI1032"),
    ("REG-LEFT-SLAP-COUNT-MISMATCH", "Registration", "Finger", "Slap", "1", "5", "SBI1033"),
    ("REG-RIGHT-SLAP-COUNT-MISMATCH", "Registration", "Finger", "Slap", "2", "5", "SBI1034"),
    ("REG-THUMBS-COUNT-MISMATCH", "Registration", "Finger", "Slap", "3", "3", "SBI1035"),
    ("REG-LEFT-IRIS-COUNT-MISMATCH", "Registration", "Iris", "Double", "1", "2", "SBI1036"),
    ("REG-RIGHT-IRIS-COUNT-MISMATCH", "Registration", "Iris", "Double", "2", "2", "SBI1037"),
    ("REG-IRIS-DOUBLE-COUNT-MISMATCH", "Registration", "Iris", "Double", "3", "3", "SBI1038"),
    ("REG-FACE-COUNT-MISMATCH", "Registration", "Face", "Full face", "0", "2", "SBI1039"),
]
for cid, purpose, typ, sub, sid, count, mid in MISMATCH:
    verb = "RCAPTURE" if purpose == "Registration" else "CAPTURE"
    case(cid, f"{'Registration' if purpose == 'Registration' else 'Authentication'} capture asking "
              f"for more than the segment holds ({typ.lower()}, count {count})",
         f"{verb} with count {count} on deviceSubId {sid}: the segment cannot deliver that many, so the "
         f"device must answer error 109 instead of padding or truncating.",
         purpose, "bio-count-mismatch", [typ], [sub], [verb], ERROR_CHECKS,
         request=capture_request(sid, count, []), expect={"errorCode": "109"},
         steps=["Present the biometric as usual."], mosip=[mid])

# ---------------------------------------------------------------- timeouts
NO_INPUT = [
    ("REG-FACE-TIMEOUT-NO-INPUT", "Registration", "Face", "Full face", "0", "1", [], [], "SBI1040"),
    ("REG-IRIS-TIMEOUT-NO-INPUT", "Registration", "Iris", "Double", "3", "2", ["Left", "Right"], [], "SBI1041"),
    ("REG-LEFT-SLAP-TIMEOUT-NO-INPUT", "Registration", "Finger", "Slap", "1", "4", LEFT_SLAP, [], "SBI1042"),
    ("REG-RIGHT-SLAP-TIMEOUT-NO-INPUT", "Registration", "Finger", "Slap", "2", "4", RIGHT_SLAP, [], "SBI1043"),
    ("REG-THUMBS-TIMEOUT-NO-INPUT", "Registration", "Finger", "Slap", "3", "2", THUMBS, [], "SBI1044"),
    ("REG-EXCEPTION-PHOTO-TIMEOUT-NO-INPUT", "Registration", "Face", "Full face", "0", "1", [],
     ["Left LittleFinger"], "SBI1045"),
    ("AUTH-FACE-TIMEOUT-NO-INPUT", "Auth", "Face", "Full face", "0", "1", [], [], "SBI1046"),
    ("AUTH-IRIS-TIMEOUT-NO-INPUT", "Auth", "Iris", "Single", "0", "1", ["UNKNOWN"], [], "SBI1047"),
    ("AUTH-FINGER-TIMEOUT-NO-INPUT", "Auth", "Finger", "Single", "0", "1", ["UNKNOWN"], [], "SBI1048"),
]
for cid, purpose, typ, sub, sid, count, subtypes, exc, mid in NO_INPUT:
    verb = "RCAPTURE" if purpose == "Registration" else "CAPTURE"
    case(cid, f"{verb} times out when nothing is presented ({typ.lower()} {sub.lower()})",
         f"{verb} with a 3 s timeout and an empty sensor must come back with an error at the timeout: not "
         f"before it (a device that answers at once ignores the timeout) and no later than the timeout "
         f"plus the grace period.",
         purpose, "timeout-without-input", [typ], [sub], [verb],
         ["schema", "error-code", "response-time", "timeout-floor"],
         request=capture_request(sid, count, subtypes, exc, timeout_ms=3000),
         expect={"errorCode": "nonzero", "withinTimeout": True, "notBeforeTimeout": "always"}, operator=True,
         steps=["Keep the sensor empty and press Enter; do not present anything until the case ends."],
         mosip=[mid])

WITH_INPUT = [
    ("REG-FACE-TIMEOUT-WITH-INPUT", "Registration", "Face", "Full face", "0", "1", [], [], "SBI1049"),
    ("REG-IRIS-TIMEOUT-WITH-INPUT", "Registration", "Iris", "Double", "3", "2", ["Left", "Right"], [], "SBI1050"),
    ("REG-LEFT-SLAP-TIMEOUT-WITH-INPUT", "Registration", "Finger", "Slap", "1", "4", LEFT_SLAP, [], "SBI1051"),
    ("REG-RIGHT-SLAP-TIMEOUT-WITH-INPUT", "Registration", "Finger", "Slap", "2", "4", RIGHT_SLAP, [], "SBI1052"),
    ("REG-THUMBS-TIMEOUT-WITH-INPUT", "Registration", "Finger", "Slap", "3", "2", THUMBS, [], "SBI1053"),
    ("REG-EXCEPTION-PHOTO-TIMEOUT-WITH-INPUT", "Registration", "Face", "Full face", "0", "1", [],
     ["Left LittleFinger"], "SBI1054"),
    ("AUTH-FACE-TIMEOUT-WITH-INPUT", "Auth", "Face", "Full face", "0", "1", [], [], "SBI1055"),
    ("AUTH-IRIS-TIMEOUT-WITH-INPUT", "Auth", "Iris", "Single", "0", "1", ["UNKNOWN"], [], "SBI1056"),
    ("AUTH-FINGER-TIMEOUT-WITH-INPUT", "Auth", "Finger", "Single", "0", "1", ["UNKNOWN"], [], "SBI1057"),
]
for cid, purpose, typ, sub, sid, count, subtypes, exc, mid in WITH_INPUT:
    verb = "RCAPTURE" if purpose == "Registration" else "CAPTURE"
    checks = (AUTH_CHECKS if purpose == "Auth" else CAPTURE_CHECKS)
    case(cid, f"{verb} with an unreachable score returns by the timeout ({typ.lower()} {sub.lower()})",
         f"{verb} asking for score 100 with a 5 s timeout while a person presents: the device keeps "
         f"trying and answers its best frame at the timeout (no later than the timeout plus grace). An "
         f"earlier answer passes in the spec profile only when every score reached 100; the mosip "
         f"profile wants no answer before the timeout.",
         purpose, "timeout-with-input", [typ], [sub], [verb],
         [c for c in checks if c != "quality-threshold"] + ["timeout-floor"],
         request=capture_request(sid, count, subtypes, exc, score="100", timeout_ms=5000),
         expect={"errorCode": "0", "withinTimeout": True, "notBeforeTimeout": "unless-score-met"}, operator=True,
         steps=["Present the biometric and keep it there until the capture ends."], mosip=[mid])

# ---------------------------------------------------------------- key rotation
ROT = [
    ("KEYROT-REG-LEFT-SLAP", "Registration", "Finger", "Slap", "SBI1022"),
    ("KEYROT-AUTH-IRIS", "Auth", "Iris", "Single", "SBI1023"),
    ("KEYROT-AUTH-FINGER", "Auth", "Finger", "Single", "SBI1024"),
    ("KEYROT-AUTH-FACE", "Auth", "Face", "Full face", "SBI1025"),
    ("KEYROT-REG-FACE", "Registration", "Face", "Full face", "SBI1060"),
    ("KEYROT-REG-IRIS", "Registration", "Iris", "Double", "SBI1061"),
]
for cid, purpose, typ, sub, mid in ROT:
    case(cid, f"Device key rotation ({typ.lower()} {sub.lower()}, {purpose.lower()})",
         "The harness records the device certificate from info, the vendor rotates the device key, "
         "and info is read again: the case passes only if the certificate really changed, the new one "
         "chains to the vendor CA and the device identity stayed the same.",
         purpose, "key-rotation", [typ], [sub], ["MOSIPDINFO"],
         ["schema", "signature", "trust", "key-rotation"], operator=True,
         steps=["Rotate the device key in the device service, then press Enter."], mosip=[mid])

# ---------------------------------------------------------------- ISO 19794, stream+capture, quality, time
ISO = [
    ("REG-LEFT-SLAP-ISO", "Registration", "Finger", "Slap", "1", "4", LEFT_SLAP, "ISO/IEC 19794-4:2011", "SBI1062"),
    ("REG-RIGHT-SLAP-ISO", "Registration", "Finger", "Slap", "2", "4", RIGHT_SLAP, "ISO/IEC 19794-4:2011", "SBI1063"),
    ("REG-IRIS-DOUBLE-ISO", "Registration", "Iris", "Double", "3", "2", ["Left", "Right"], "ISO/IEC 19794-6:2011", "SBI1064"),
    ("REG-FACE-ISO", "Registration", "Face", "Full face", "0", "1", [], "ISO/IEC 19794-5:2011", "SBI1065"),
    ("AUTH-FACE-ISO", "Auth", "Face", "Full face", "0", "1", [], "ISO/IEC 19794-5:2011", "SBI1066"),
    ("AUTH-IRIS-LEFT-ISO", "Auth", "Iris", "Single", "0", "1", ["Left"], "ISO/IEC 19794-6:2011", "SBI1067"),
    ("AUTH-IRIS-RIGHT-ISO", "Auth", "Iris", "Single", "0", "1", ["Right"], "ISO/IEC 19794-6:2011", "SBI1068"),
    ("AUTH-FINGER-ISO", "Auth", "Finger", "Single", "0", "1", ["UNKNOWN"], "ISO/IEC 19794-4:2011", "SBI1069"),
]
for cid, purpose, typ, sub, sid, count, subtypes, std, mid in ISO:
    verb = "RCAPTURE" if purpose == "Registration" else "CAPTURE"
    checks = (AUTH_CHECKS if purpose == "Auth" else CAPTURE_CHECKS) + ["iso-19794"]
    case(cid, f"{verb} bioValue is an {std} record ({typ.lower()} {sub.lower()})",
         f"Each bioValue must be an {std} record read field by field (header, lengths, capture time, quality "
         f"blocks, position/eye label matching the bioSubType, sampling, bit depth, encoding), its image must "
         f"decode (JPEG 2000, WSQ, JPEG, PNG or raw) to the declared size, lossless or lossy as declared and not "
         f"blank; the mosip profile also wants one representation and the compression MOSIP requires for the purpose.",
         purpose, "iso-19794", [typ], [sub], [verb], checks,
         request=capture_request(sid, count, subtypes), steps=["Present the biometric asked for."],
         mosip=[mid])

STREAMCAP = [
    ("STREAM-CAPTURE-LEFT-SLAP", "Finger", "Slap", "1", "4", LEFT_SLAP, "SBI1070"),
    ("STREAM-CAPTURE-RIGHT-SLAP", "Finger", "Slap", "2", "4", RIGHT_SLAP, "SBI1071"),
    ("STREAM-CAPTURE-THUMBS", "Finger", "Slap", "3", "2", THUMBS, "SBI1072"),
    ("STREAM-CAPTURE-IRIS-DOUBLE", "Iris", "Double", "3", "2", ["Left", "Right"], "SBI1073"),
    ("STREAM-CAPTURE-FACE", "Face", "Full face", "0", "1", [], "SBI1074"),
]
for cid, typ, sub, sid, count, subtypes, mid in STREAMCAP:
    case(cid, f"Preview stream then registration capture ({typ.lower()} {sub.lower()})",
         "STREAM is opened for the segment, frames are read, then RCAPTURE runs: the stream must "
         "deliver JPEG frames at 3 fps or more and the capture must be valid while it runs.",
         "Registration", "stream-with-capture", [typ], [sub], ["STREAM", "RCAPTURE"],
         CAPTURE_CHECKS + ["stream"], request=capture_request(sid, count, subtypes),
         steps=["Present the biometric while the preview runs."], mosip=[mid])

QUALITY = [
    ("REG-LEFT-SLAP-QUALITY", "Registration", "Finger", "Slap", "1", "4", LEFT_SLAP, "SBI1075"),
    ("REG-RIGHT-SLAP-QUALITY", "Registration", "Finger", "Slap", "2", "4", RIGHT_SLAP, "SBI1076"),
    ("REG-IRIS-DOUBLE-QUALITY", "Registration", "Iris", "Double", "3", "2", ["Left", "Right"], "SBI1077"),
    ("REG-FACE-QUALITY", "Registration", "Face", "Full face", "0", "1", [], "SBI1078"),
    ("AUTH-FACE-QUALITY", "Auth", "Face", "Full face", "0", "1", [], "SBI1079"),
    ("AUTH-IRIS-LEFT-QUALITY", "Auth", "Iris", "Single", "0", "1", ["Left"], "SBI1080"),
    ("AUTH-IRIS-RIGHT-QUALITY", "Auth", "Iris", "Single", "0", "1", ["Right"], "SBI1081"),
    ("AUTH-FINGER-QUALITY", "Auth", "Finger", "Single", "0", "1", ["UNKNOWN"], "SBI1082"),
]
for cid, purpose, typ, sub, sid, count, subtypes, mid in QUALITY:
    verb = "RCAPTURE" if purpose == "Registration" else "CAPTURE"
    checks = (AUTH_CHECKS if purpose == "Auth" else CAPTURE_CHECKS) + ["quality-threshold"]
    case(cid, f"{verb} quality meets the requested score ({typ.lower()} {sub.lower()})",
         "Each element's qualityScore must be a number from 0 to 100 and at least the requested "
         "score (40). The device's own score is judged; MOSIP's SDK re-scoring is out of scope offline.",
         purpose, "quality-check", [typ], [sub], [verb], checks,
         request=capture_request(sid, count, subtypes), steps=["Present the biometric asked for."],
         mosip=[mid])

TIME = [
    ("REG-LEFT-SLAP-TIME", "Registration", "Finger", "Slap", "1", "4", LEFT_SLAP, "SBI1083"),
    ("REG-RIGHT-SLAP-TIME", "Registration", "Finger", "Slap", "2", "4", RIGHT_SLAP, "SBI1084"),
    ("REG-IRIS-DOUBLE-TIME", "Registration", "Iris", "Double", "3", "2", ["Left", "Right"], "SBI1085"),
    ("REG-FACE-TIME", "Registration", "Face", "Full face", "0", "1", [], "SBI1086"),
    ("AUTH-FACE-TIME", "Auth", "Face", "Full face", "0", "1", [], "SBI1087"),
    ("AUTH-IRIS-LEFT-TIME", "Auth", "Iris", "Single", "0", "1", ["Left"], "SBI1088"),
    ("AUTH-IRIS-RIGHT-TIME", "Auth", "Iris", "Single", "0", "1", ["Right"], "SBI1089"),
    ("AUTH-FINGER-TIME", "Auth", "Finger", "Single", "0", "1", ["UNKNOWN"], "SBI1090"),
]
for cid, purpose, typ, sub, sid, count, subtypes, mid in TIME:
    verb = "RCAPTURE" if purpose == "Registration" else "CAPTURE"
    checks = (AUTH_CHECKS if purpose == "Auth" else CAPTURE_CHECKS)
    case(cid, f"{verb} timestamps are current ({typ.lower()} {sub.lower()})",
         "Each element's timestamp must be written yyyy-MM-ddTHH:mm:ssZ (no fractions, no offset) and lie "
         "within the allowed skew (180 s in the mosip profile) of the window between request and answer; "
         "the backward bound is our addition.",
         purpose, "time-check", [typ], [sub], [verb], checks,
         request=capture_request(sid, count, subtypes), steps=["Present the biometric asked for."],
         mosip=[mid])

# ---------------------------------------------------------------- negative cases
BAD_TXN = [
    ("AUTH-FACE-BAD-TRANSACTION-ID", "Auth", "Face", "Full face", "0", "1", [], "SBI1091"),
    ("AUTH-IRIS-BAD-TRANSACTION-ID", "Auth", "Iris", "Single", "0", "1", ["Left"], "SBI1092"),
    ("AUTH-FINGER-BAD-TRANSACTION-ID", "Auth", "Finger", "Single", "0", "1", ["UNKNOWN"], "SBI1093"),
    ("REG-LEFT-SLAP-BAD-TRANSACTION-ID", "Registration", "Finger", "Slap", "1", "4", LEFT_SLAP, "SBI1108"),
    ("REG-RIGHT-SLAP-BAD-TRANSACTION-ID", "Registration", "Finger", "Slap", "2", "4", RIGHT_SLAP, "SBI1109"),
    ("REG-IRIS-DOUBLE-BAD-TRANSACTION-ID", "Registration", "Iris", "Double", "3", "2", ["Left", "Right"], "SBI1110"),
    ("REG-FACE-BAD-TRANSACTION-ID", "Registration", "Face", "Full face", "0", "1", [], "SBI1111"),
]
for cid, purpose, typ, sub, sid, count, subtypes, mid in BAD_TXN:
    verb = "RCAPTURE" if purpose == "Registration" else "CAPTURE"
    case(cid, f"{verb} rejects a malformed transaction id ({typ.lower()} {sub.lower()})",
         "A transactionId longer than 50 characters breaks the [A-Za-z0-9-]{4,50} rule: the device "
         "must answer an error and capture nothing. SBI 0.9.5 defines no code for it and MOSIP accepts any "
         "error, so any non-zero code passes.",
         purpose, "invalid-transaction-id", [typ], [sub], [verb], ERROR_CHECKS,
         request=capture_request(sid, count, subtypes,
                                 transactionId="CTK-" + "7" * 60),
         expect={"errorCode": "nonzero"}, steps=["Present the biometric asked for."], mosip=[mid])

INVALID = [
    ("REG-LEFT-SLAP-INVALID-REQUEST", "Finger", "Slap", "1", "4", LEFT_SLAP, [], "env", "SBI1094"),
    ("REG-RIGHT-SLAP-INVALID-REQUEST", "Finger", "Slap", "2", "4", RIGHT_SLAP, [], "timeout", "SBI1095"),
    ("REG-THUMBS-INVALID-REQUEST", "Finger", "Slap", "3", "2", THUMBS, [], "specVersion", "SBI1096"),
    ("REG-IRIS-DOUBLE-INVALID-REQUEST", "Iris", "Double", "3", "2", ["Left", "Right"], [], "purpose", "SBI1097"),
    ("REG-FACE-INVALID-REQUEST", "Face", "Full face", "0", "1", [], [], "bio", "SBI1098"),
    ("REG-IRIS-ONE-EXCEPTION-INVALID-REQUEST", "Iris", "Double", "3", "1", ["Right"], ["Left"], "bio[0].count", "SBI1099"),
    ("REG-EXCEPTION-PHOTO-INVALID-REQUEST", "Face", "Full face", "0", "1", [], ["Left LittleFinger"],
     "bio[0].deviceSubId", "SBI1100"),
]
for cid, typ, sub, sid, count, subtypes, exc, field, mid in INVALID:
    case(cid, f"RCAPTURE rejects a request whose '{field}' is misspelt ({typ.lower()} {sub.lower()})",
         f"The request is valid except that '{field}' is renamed '{field}XXX': a required field is "
         f"missing, so the device must answer an error (error element or HTTP 4xx) and capture nothing.",
         "Registration", "invalid-request", [typ], [sub], ["RCAPTURE"], ERROR_CHECKS,
         request=capture_request(sid, count, subtypes, exc, renameField=field),
         expect={"errorCode": "nonzero"}, steps=["Present the biometric asked for."], mosip=[mid])

HASH = [
    ("REG-LEFT-SLAP-HASH-CHAIN", "Registration", "Finger", "Slap", "1", "4", LEFT_SLAP, "SBI1101"),
    ("REG-FACE-HASH-CHAIN", "Registration", "Face", "Full face", "0", "1", [], "SBI1102"),
    ("REG-RIGHT-SLAP-HASH-CHAIN", "Registration", "Finger", "Slap", "2", "4", RIGHT_SLAP, "SBI1103"),
    ("REG-IRIS-DOUBLE-HASH-CHAIN", "Registration", "Iris", "Double", "3", "2", ["Left", "Right"], "SBI1104"),
    ("AUTH-FACE-HASH-CHAIN", "Auth", "Face", "Full face", "0", "1", [], "SBI1105"),
    ("AUTH-IRIS-HASH-CHAIN", "Auth", "Iris", "Single", "0", "1", ["UNKNOWN"], "SBI1106"),
    ("AUTH-FINGER-HASH-CHAIN", "Auth", "Finger", "Single", "0", "1", ["UNKNOWN"], "SBI1107"),
]
for cid, purpose, typ, sub, sid, count, subtypes, mid in HASH:
    verb = "RCAPTURE" if purpose == "Registration" else "CAPTURE"
    checks = (AUTH_CHECKS if purpose == "Auth" else CAPTURE_CHECKS)
    case(cid, f"{verb} hash chain holds across two captures ({typ.lower()} {sub.lower()})",
         "Two captures are made, the second sending the last hash of the first as previousHash: every "
         "element's hash must equal SHA-256(previous || SHA-256(bioValue)), within and across requests.",
         purpose, "hash-chain", [typ], [sub], [verb], checks,
         request=capture_request(sid, count, subtypes, captures=2),
         steps=["Present the biometric twice."], mosip=[mid])

# ---------------------------------------------------------------- quality assessment (needs people)
AGES = ["child(5-12)", "adult(12-40)", "mature(40-59)", "senior(60+)"]
FINGER_COHORTS = [("male", "child(5-12)", None), ("female", "child(5-12)", None)]
for age in AGES[1:]:
    for gender in ["male", "female"]:
        for occ in ["labourer", "non-labourer"]:
            FINGER_COHORTS.append((gender, age, occ))
# Slap used per finger cohort, in the order of MOSIP's registration finger series (SBI1112-SBI1125).
REG_FINGER_SLAPS = ["left", "right", "left", "left", "right", "left", "right", "left", "right",
                    "left", "right", "left", "right", "right"]
FACE_COHORTS = [(g, a, r) for a in AGES for r in ["african", "european", "asian"] for g in ["male", "female"]]


def qa(cid, mid, purpose, typ, sub, sid, count, subtypes, cohort, step):
    verb = "RCAPTURE" if purpose == "Registration" else "CAPTURE"
    label = ", ".join(v for v in cohort.values() if v)
    checks = (AUTH_CHECKS if purpose == "Auth" else CAPTURE_CHECKS) + ["quality-threshold"]
    case(cid, f"Quality assessment, {purpose.lower()} {typ.lower()} {sub.lower()}: {label}, 10 people",
         f"{verb} for ten different people of the cohort ({label}); every capture must meet the "
         f"requested score and the report lists the score distribution for the cohort.",
         purpose, "quality-assessment", [typ], [sub], [verb], checks,
         request=capture_request(sid, count, subtypes, repeat=10,
                                 cohort={k: v for k, v in cohort.items() if v}),
         operator=True, steps=[step, "Press Enter for each of the ten people."], mosip=[mid])


n = 1112
for i, (gender, age, occ) in enumerate(FINGER_COHORTS):
    side = REG_FINGER_SLAPS[i]
    sid, subtypes = ("1", LEFT_SLAP) if side == "left" else ("2", RIGHT_SLAP)
    qa(f"QA-REG-{side.upper()}-SLAP-{n}", f"SBI{n}", "Registration", "Finger", "Slap", sid, "4", subtypes,
       {"gender": gender, "ageGroup": age, "occupation": occ},
       f"Ask the person to place the {side} slap on the sensor.")
    n += 1
for gender, age, race in FACE_COHORTS:
    qa(f"QA-REG-FACE-{n}", f"SBI{n}", "Registration", "Face", "Full face", "0", "1", [],
       {"gender": gender, "ageGroup": age, "race": race}, "Ask the person to face the camera.")
    n += 1
for age in AGES:
    qa(f"QA-REG-IRIS-DOUBLE-{n}", f"SBI{n}", "Registration", "Iris", "Double", "3", "2", ["Left", "Right"],
       {"ageGroup": age}, "Ask the person to look into the iris camera.")
    n += 1
for gender, age, occ in FINGER_COHORTS:
    qa(f"QA-AUTH-FINGER-{n}", f"SBI{n}", "Auth", "Finger", "Single", "0", "1", ["UNKNOWN"],
       {"gender": gender, "ageGroup": age, "occupation": occ}, "Ask the person to place one finger.")
    n += 1
for gender, age, race in FACE_COHORTS:
    qa(f"QA-AUTH-FACE-{n}", f"SBI{n}", "Auth", "Face", "Full face", "0", "1", [],
       {"gender": gender, "ageGroup": age, "race": race}, "Ask the person to face the camera.")
    n += 1
for age, eye in zip(AGES, ["Left", "Right", "Left", "Right"]):
    qa(f"QA-AUTH-IRIS-{eye.upper()}-{n}", f"SBI{n}", "Auth", "Iris", "Single", "0", "1", [eye],
       {"ageGroup": age}, f"Ask the person to present the {eye.lower()} eye.")
    n += 1
assert n == 1196, n

# ---------------------------------------------------------------- STREAM checks (ours)
for typ, sub, sid in [("Finger", "Slap", "1"), ("Iris", "Double", "3"), ("Face", "Full face", "0")]:
    case(f"STREAM-FRAMES-{typ.upper()}", f"Preview stream delivers JPEG frames ({typ.lower()} {sub.lower()})",
         "STREAM for a valid deviceId/deviceSubId must answer multipart/x-mixed-replace whose parts carry "
         "a Content-Length and a complete JPEG (SOI..EOI), at 3 frames per second or more.",
         "Registration", "stream", [typ], [sub], ["STREAM"], ["stream", "response-time"],
         request={"deviceSubId": sid, "timeoutMs": 5000, "frames": 6})
case("STREAM-UNKNOWN-DEVICE", "Preview stream for an unknown device answers an error",
     "STREAM for a deviceId the service does not have must answer error 202 (or an HTTP error) "
     "promptly instead of an empty stream that never ends.",
     "Registration", "stream", ["Finger", "Iris", "Face"], ["Slap", "Double", "Full face"], ["STREAM"],
     ["error-code", "response-time"], request={"deviceSubId": "1", "deviceId": "no-such-device",
                                                 "timeoutMs": 3000},
     expect={"errorCode": "nonzero"})
case("STREAM-ENDS-WITH-CAPTURE", "Preview stream ends when the capture completes",
     "With STREAM open, an RCAPTURE for the same segment runs; once it answers, the stream must end "
     "(connection closed or final boundary) within the grace period.",
     "Registration", "stream", ["Finger", "Iris", "Face"], ["Slap", "Double", "Full face"],
     ["STREAM", "RCAPTURE"], ["stream", "stream-ends"], request={"deviceSubId": "own", "timeoutMs": 10000})

# ---------------------------------------------------------------- extra echo / transaction checks (ours)
case("REG-TRANSACTION-ID-REUSED", "RCAPTURE rejects a reused transaction id",
     "A second RCAPTURE that reuses the transactionId of the previous one should be refused with an "
     "error. Advisory: SBI 0.9.5 makes uniqueness the caller's duty, so a device that accepts the reuse "
     "gets a warning, not a failure.",
     "Registration", "invalid-transaction-id", ["Finger", "Iris", "Face"], ["Slap", "Double", "Full face"],
     ["RCAPTURE"], ERROR_CHECKS, request={"deviceSubId": "own", "reuseTransactionId": True},
     expect={"errorCode": "nonzero", "advisory": True})

# ---------------------------------------------------------------- robustness (ours)
ROBUST = [
    ("ROBUST-MALFORMED-JSON", "Malformed JSON body", "RCAPTURE", {"probe": "malformed-json"},
     "A capture request whose body is truncated JSON must get an error answer, not a hang or crash."),
    ("ROBUST-EMPTY-BODY", "Empty body", "RCAPTURE", {"probe": "empty-body"},
     "A capture request with no body at all must get an error answer."),
    ("ROBUST-WRONG-SHAPE", "JSON of the wrong shape", "RCAPTURE", {"probe": "wrong-shape"},
     "A JSON array where an object is expected, and strings where objects are expected, must be refused."),
    ("ROBUST-NOT-UTF8", "Body that is not UTF-8", "RCAPTURE", {"probe": "not-utf8"},
     "Bytes that are not valid UTF-8 must be refused."),
    ("ROBUST-DEEP-NESTING", "Deeply nested JSON", "RCAPTURE", {"probe": "deep-nesting"},
     "A body nested 10,000 levels deep must be refused without exhausting the service's stack."),
    ("ROBUST-OVERSIZED-BODY", "Oversized body", "RCAPTURE", {"probe": "oversized", "bytes": 4194304},
     "A 4 MiB request body must be refused or cut off quickly, and the service must keep running."),
    ("ROBUST-UNKNOWN-VERB", "Unknown HTTP verb", "MOSIPDINFO", {"probe": "unknown-verb"},
     "An unknown custom verb must be answered with an error status (e.g. 405), not silence."),
    ("ROBUST-WRONG-PATH", "Verb on the wrong path", "RCAPTURE", {"probe": "wrong-path"},
     "RCAPTURE sent to /info (out of order with the protocol's routing) must be refused."),
    ("ROBUST-CAPTURE-UNKNOWN-DEVICE", "Capture for an unknown device", "RCAPTURE",
     {"probe": "unknown-device"},
     "RCAPTURE naming a deviceId that discovery never returned must answer an error such as 106."),
    ("ROBUST-CONCURRENT-CAPTURE", "Second capture while one is running", "RCAPTURE",
     {"probe": "concurrent-capture"},
     "While one RCAPTURE is in progress, a second one for the same device must be answered (busy "
     "error 111, or served after the first), never both hang."),
    ("ROBUST-SLOW-CLIENT", "Request sent slowly and abandoned", "RCAPTURE", {"probe": "slow-client"},
     "A client that sends half a request and disconnects must not wedge the service."),
]
for cid, name, verb, req, desc in ROBUST:
    req = dict(req)
    req["timeoutMs"] = 5000
    case(cid, f"Robustness: {name.lower()}", desc + " Afterwards MOSIPDINFO must still answer.",
         "Any", "robustness", ["Finger", "Iris", "Face"], ["Slap", "Single", "Touchless", "Double", "Full face"],
         sorted({verb, "MOSIPDINFO"}), ["robust-answer", "liveness", "response-time"], request=req,
         expect={"errorCode": "nonzero"})

# ---------------------------------------------------------------- checks and write
ids = [c["id"] for c in cases]
assert len(ids) == len(set(ids)), "duplicate case id"
mapped = sorted(m for c in cases for m in c["mosipIds"])
assert mapped == [f"SBI{i}" for i in range(1000, 1200)], "MOSIP ids not covered exactly once"

catalogue = {
    "catalogue": "station-trust ctk-harness SBI catalogue",
    "specVersion": SPEC,
    "catalogueVersion": "2.0.0",
    "reference": "MOSIP compliance toolkit SBI test ids SBI1000-SBI1199 (compliance_test_definitions_sbi.json)",
    "mosipNotApplicable": [],
    "cases": cases,
}
out = pathlib.Path(__file__).resolve().parent.parent / "src/main/resources/catalogue/sbi-0.9.5.json"
out.write_text(json.dumps(catalogue, indent=1, ensure_ascii=False) + "\n")
print(f"{len(cases)} cases written to {out}")
