"""Device identity from traffic: vendor, product, model, firmware and serial a device states itself.

Pure parsers over one server-to-client payload each (no I/O). They read only
what the protocol defines and return None for anything else:

- EtherNet/IP List Identity reply (encapsulation command 0x63, CIP Identity item 0x0C);
- Modbus Read Device Identification reply (function 0x2B, MEI type 0x0E);
- S7comm SZL read reply for module identification (SZL 0x0011 / 0x0111) and
  component identification (SZL 0x001C / 0x011C);
- S7comm-Plus (S7-1200/1500) CreateObject response, which opens a session and
  states the PLC's order number and firmware version;
- SNMP sysDescr (OID 1.3.6.1.2.1.1.1.0) in a response, and the same text from
  Zeek's snmp.log `display_string`;
- Zeek's cip_identity.log (ICSNPP) rows, read by the Zeek reader.

The guideline asks for a current list of system components kept with
automated tools (Appendix 3.1.4, Step 1-4); an identity observed on the wire
is such evidence, and each one names the packet or log line it came from.
"""

from __future__ import annotations

import re
import struct

from factorysec.discovery.types import DeviceIdentity

CIP_VENDORS: dict[int, str] = {1: "Rockwell Automation/Allen-Bradley"}
"""CIP vendor ids named here; others are shown as `CIP vendor N` (the ODVA list is not bundled)."""


def _text(raw: bytes) -> str:
    """Printable text of a protocol string field (NULs, padding and control characters dropped)."""
    out = raw.decode("latin-1").replace("\0", " ")
    return " ".join("".join(c if c.isprintable() else " " for c in out).split())


def enip_list_identity(payload: bytes) -> dict[str, str] | None:
    """Fields of an EtherNet/IP List Identity reply, or None."""
    if len(payload) < 26 + 4 or payload[0:2] != b"\x63\x00":
        return None
    (count,) = struct.unpack_from("<H", payload, 24)
    off = 26
    for _ in range(min(count, 4)):
        if off + 4 > len(payload):
            return None
        item_type, item_len = struct.unpack_from("<HH", payload, off)
        body = payload[off + 4 : off + 4 + item_len]
        off += 4 + item_len
        if item_type != 0x0C or len(body) < 33:
            continue
        vendor, device_type, product_code, major, minor, _status, serial = struct.unpack_from("<HHHBBHI", body, 18)
        name_len = body[32]
        name = _text(body[33 : 33 + name_len])
        return {
            "vendor": CIP_VENDORS.get(vendor, f"CIP vendor {vendor}"),
            "product": name,
            "model": f"device type {device_type}, product code {product_code}",
            "firmware": f"{major}.{minor}",
            "serial": f"{serial:08x}",
        }
    return None


_MODBUS_OBJECTS = {0: "vendor", 1: "model", 2: "firmware", 4: "product", 5: "model"}


def modbus_device_identification(payload: bytes) -> dict[str, str] | None:
    """Objects of a Modbus/TCP Read Device Identification reply, or None."""
    if len(payload) < 14 or payload[2:4] != b"\0\0" or payload[7] != 0x2B or payload[8] != 0x0E:
        return None
    count = payload[13]
    off = 14
    out: dict[str, str] = {}
    for _ in range(count):
        if off + 2 > len(payload):
            break
        obj, length = payload[off], payload[off + 1]
        value = _text(payload[off + 2 : off + 2 + length])
        off += 2 + length
        field = _MODBUS_OBJECTS.get(obj)
        if field and value and field not in out:
            out[field] = value
    return out or None


_S7_SZL_MODULE = (0x0011, 0x0111)
_S7_SZL_COMPONENT = (0x001C, 0x011C)


def s7_szl(payload: bytes) -> dict[str, str] | None:
    """Module or component identification from an S7comm SZL read reply, or None.

    Layout: TPKT (4) + COTP (1 + its length) + S7 header (10 bytes for user
    data) + parameters + data: return code, transport size, length (2), SZL id
    (2), index (2), record length (2), record count (2), records.
    """
    if len(payload) < 8 or payload[0] != 3:
        return None
    s7 = 5 + payload[4]
    if len(payload) < s7 + 10 or payload[s7] != 0x32 or payload[s7 + 1] != 7:
        return None
    (param_len,) = struct.unpack_from(">H", payload, s7 + 6)
    data = s7 + 10 + param_len
    if len(payload) < data + 12 or payload[data] != 0xFF:
        return None
    szl_id, _index, rec_len, rec_count = struct.unpack_from(">HHHH", payload, data + 4)
    off = data + 12
    out: dict[str, str] = {"vendor": "Siemens"}
    for _ in range(rec_count):
        rec = payload[off : off + rec_len]
        off += rec_len
        if len(rec) < rec_len or rec_len < 4:
            break
        (index,) = struct.unpack_from(">H", rec, 0)
        if szl_id in _S7_SZL_MODULE and rec_len >= 28:
            if index == 1:
                out["model"] = _text(rec[2:22])
            elif index == 7 and rec[24:25] == b"V":
                out["firmware"] = f"V{rec[25]}.{rec[26]}.{rec[27]}"
        elif szl_id in _S7_SZL_COMPONENT:
            text = _text(rec[2:])
            if index == 7 and text:  # module type name
                out["product"] = text
            elif index == 2 and text:  # module name
                out.setdefault("product", text)
            elif index == 5 and text:  # module serial number
                out["serial"] = text
    return out if len(out) > 1 else None


_S7_PLUS_STATED = re.compile(rb"(6ES7 ?\d{3}-\w{5}-\w{4}) ?;V(\d{1,3}(?:\.\d{1,3}){1,2})")
_S7_PLUS_FAMILIES = (("6ES7 21", "SIMATIC S7-1200"), ("6ES7 51", "SIMATIC S7-1500"))
"""CPU order numbers by family (Siemens's order-number scheme): 6ES7 21x-... the S7-1200 CPUs, 6ES7 51x-... the S7-1500."""


def s7_plus_session(payload: bytes) -> dict[str, str] | None:
    """Order number and firmware from an S7comm-Plus CreateObject response, or None.

    Layout: TPKT (4) + COTP (1 + its length) + S7comm-Plus header: 0x72,
    protocol version (1 or 2), data length (2), opcode 0x32 (response), 2
    reserved bytes, function 0x04CA (CreateObject). Among the attributes of the
    session it creates, an S7-1200/1500 states its order number and firmware
    as one text, ``6ES7 214-1HE30-0XB0 ;V2.2``: that text is read, nothing else
    (version 3 sessions, with integrity protection, are not).
    """
    if len(payload) < 17 or payload[0] != 3:
        return None
    s7 = 5 + payload[4]
    if len(payload) < s7 + 9 or payload[s7] != 0x72 or payload[s7 + 1] not in (1, 2):
        return None
    if payload[s7 + 4] != 0x32 or payload[s7 + 7 : s7 + 9] != b"\x04\xca":
        return None
    stated = _S7_PLUS_STATED.search(payload, s7 + 9)
    if stated is None:
        return None
    model = stated.group(1).decode("ascii")
    out = {"vendor": "Siemens", "model": model, "firmware": "V" + stated.group(2).decode("ascii")}
    for prefix, family in _S7_PLUS_FAMILIES:
        if model.replace(" ", "").startswith(prefix.replace(" ", "")):
            out["product"] = family
    return out


_SYSDESCR_OID = bytes.fromhex("06082b06010201010100")


def snmp_sysdescr(payload: bytes) -> str | None:
    """The sysDescr value in an SNMP message (the OID followed by an OCTET STRING), or None."""
    at = payload.find(_SYSDESCR_OID)
    if at < 0:
        return None
    off = at + len(_SYSDESCR_OID)
    if off + 2 > len(payload) or payload[off] != 0x04:
        return None
    length = payload[off + 1]
    off += 2
    if length & 0x80:
        n = length & 0x7F
        if n > 2 or off + n > len(payload):
            return None
        length = int.from_bytes(payload[off : off + n], "big")
        off += n
    text = _text(payload[off : off + length])
    return text or None


_VERSION = re.compile(r"\bV\.?\s?(\d+(?:\.\d+)+)\b|\b[Vv]ersion:?\s*(\d+(?:\.\d+)+)\b")
_SIEMENS_ORDER = re.compile(r"\b6[A-Z]{2}\d ?\d{3}-\w{5}-\w{4}\b")


def describe_sysdescr(text: str) -> dict[str, str]:
    """Vendor, product, model and firmware read out of a free-text sysDescr.

    sysDescr has no fixed form; this takes the first comma-separated part as
    the vendor when the text has commas, a Siemens order number as the model,
    and the first `V1.2.3` / `Version 1.2` as the firmware. The raw text is
    always kept beside it.
    """
    out: dict[str, str] = {}
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if len(parts) > 1:
        out["vendor"] = parts[0]
        product = [p for p in parts[1:3] if not _SIEMENS_ORDER.search(p)]
        if product:
            out["product"] = " ".join(product)
    order = _SIEMENS_ORDER.search(text)
    if order:
        out["model"] = order.group(0)
        tail = text[order.end() :].split(",")[0].strip()
        if tail:
            out["serial"] = tail
    version = _VERSION.search(text)
    if version:
        out["firmware"] = "V" + (version.group(1) or version.group(2))
    return out


def identity(
    ip: str, protocol: str, fields: dict[str, str], evidence: str, source: str, seen: float, raw: str | None = None
) -> DeviceIdentity:
    """A `DeviceIdentity` from parsed fields (unknown keys ignored)."""
    return DeviceIdentity(
        ip=ip,
        protocol=protocol,
        vendor=fields.get("vendor"),
        product=fields.get("product"),
        model=fields.get("model"),
        firmware=fields.get("firmware"),
        serial=fields.get("serial"),
        raw=raw,
        evidence=evidence,
        source=source,
        seen=seen,
    )


PARSERS = {
    "enip": enip_list_identity,
    "modbus-tcp": modbus_device_identification,
    "s7comm": s7_szl,
    "s7comm-plus": s7_plus_session,
}
