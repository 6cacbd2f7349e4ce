"""Normalisation of the identifiers criminals leave besides names: postal addresses, bank accounts,
IP addresses, crypto-currency addresses and social-media or messaging handles.

Each function takes the raw value(s) as received and returns the one normalised text the
cross-check compares exactly (and indexes), or raises NormalisationError saying what is wrong,
for the field it came from. The checks are the published ones: the IBAN's ISO 13616 check digits
and the BIC's ISO 9362 form (python-stdnum); IP addresses read by the standard library's
`ipaddress` (IPv4-mapped IPv6 addresses are the IPv4 address); Bitcoin's Base58Check (version
byte and double-SHA-256 checksum) and Bech32 / Bech32m (BIP-173, BIP-350) addresses; Ethereum's
20-byte hex address with its EIP-55 mixed-case checksum (Keccak-256, pycryptodomex).
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata

import base58
from stdnum import bic as stdnum_bic
from stdnum import iban as stdnum_iban
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidLength, ValidationError

from casemgmt.crosscheck.normalise import NormalisationError, fold, normalise_country, normalise_phone
from portal.enums import N_


def _ascii(text: str | None) -> str:
    """Folded, marks removed (Straße → strasse, Rue Émile → rue emile)."""
    decomposed = unicodedata.normalize("NFKD", fold(text).replace("ß", "ss"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# ------------------------------------------------------------------------------ postal addresses
# Street-type abbreviations written out, so that "Hauptstr. 5" and "Hauptstraße 5" agree.
_STREET_WORDS = {"str": "strasse", "strase": "strasse", "st": "street", "rd": "road", "av": "avenue", "ave": "avenue",
                 "bd": "boulevard", "bld": "boulevard", "blvd": "boulevard", "ul": "ulica", "pl": "place", "sq": "square",
                 "ln": "lane", "dr": "drive", "stwg": "steenweg", "chee": "chaussee", "ch": "chemin", "pza": "piazza",
                 "c": "calle", "vle": "viale"}
_WORDS = re.compile(r"[a-z0-9]+")


def normalise_street(street: str | None) -> str:
    """Words of a street name, abbreviations written out; "…str" at the end of a word is "…strasse"."""
    words = []
    for word in _WORDS.findall(_ASCII_DOTS.sub(" ", _ascii(street))):
        word = _STREET_WORDS.get(word, word)
        if word.endswith("str") and len(word) > 5:
            word += "asse"
        words.append(word)
    return " ".join(words)


_ASCII_DOTS = re.compile(r"[.'’-]")


def normalise_address(country: str | None, postcode: str | None, street: str | None,
                      number: str | None = "") -> str:
    """COUNTRY|POSTCODE|STREET|NUMBER: the country as the portal writes it, the postcode in capitals
    without spaces, the street's words, the house number (16, 16A) without spaces."""
    cc = normalise_country(country)
    if cc is None:
        raise NormalisationError(N_("an address needs its country (two letters, e.g. BE)"))
    code = re.sub(r"[^A-Z0-9]", "", _ascii(postcode).upper())
    if not 2 <= len(code) <= 10:
        raise NormalisationError(N_("%(postcode)r is not a postcode"), postcode=postcode)
    road = normalise_street(street)
    if not road:
        raise NormalisationError(N_("an address needs its street"))
    house = re.sub(r"[^A-Z0-9/]", "", _ascii(number).upper())
    return f"{cc}|{code}|{road}|{house}"


# ----------------------------------------------------------------------------------- bank accounts
def normalise_iban(value: str | None) -> str:
    """The IBAN in capitals without spaces, its check digits (ISO 13616, mod 97) verified."""
    try:
        return stdnum_iban.validate(value or "")
    except InvalidChecksum:
        raise NormalisationError(N_("%(value)r is not a valid IBAN: its check digits are wrong"), value=value) from None
    except InvalidLength:
        raise NormalisationError(N_("%(value)r is not a valid IBAN: wrong length for its country"), value=value) from None
    except (InvalidComponent, ValidationError):
        raise NormalisationError(N_("%(value)r is not a valid IBAN (two letters, two check digits, the account)"), value=value) from None


def normalise_bic(value: str | None) -> str:
    """A BIC (ISO 9362) in capitals: 8 or 11 characters, bank, country, location[, branch]."""
    try:
        return stdnum_bic.validate(value or "")
    except ValidationError:
        raise NormalisationError(N_("%(value)r is not a BIC (8 or 11 letters and digits, e.g. GEBABEBB)"), value=value) from None


def format_iban(value: str) -> str:
    return stdnum_iban.format(value)


# ------------------------------------------------------------------------------------- IP addresses
def normalise_ip(value: str | None) -> str:
    """An IPv4 or IPv6 address in its compressed form (2001:db8::1); an IPv4-mapped IPv6 address
    (::ffff:192.0.2.1) is the IPv4 address."""
    text = (value or "").strip().strip("[]")
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        raise NormalisationError(N_("%(value)r is not an IP address (e.g. 192.0.2.1 or 2001:db8::1)"), value=value) from None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.compressed


# ------------------------------------------------------------------------ crypto-currency addresses
# BIP-173 / BIP-350 reference algorithm (Pieter Wuille, MIT licence), checksum of Bech32 and Bech32m.
_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_BECH32, _BECH32M = 1, 0x2BC830A3


def _polymod(values: list[int]) -> int:
    generator = [0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3]
    chk = 1
    for value in values:
        top = chk >> 25
        chk = (chk & 0x1FFFFFF) << 5 ^ value
        for i in range(5):
            chk ^= generator[i] if ((top >> i) & 1) else 0
    return chk


def _segwit_ok(address: str) -> bool:
    """A Bech32 (witness version 0) or Bech32m (version 1 to 16) address of Bitcoin (bc, tb)."""
    if address.lower() != address and address.upper() != address:
        return False
    address = address.lower()
    pos = address.rfind("1")
    hrp, data = address[:pos], address[pos + 1:]
    if hrp not in ("bc", "tb") or len(data) < 6 or len(address) > 90 or any(c not in _CHARSET for c in data):
        return False
    values = [_CHARSET.find(c) for c in data]
    const = _polymod([ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp] + values)
    version = values[0]
    program_bits = (len(values) - 7) * 5
    if const != (_BECH32 if version == 0 else _BECH32M) or version > 16:
        return False
    length = program_bits // 8
    return (version == 0 and length in (20, 32)) or (version > 0 and 2 <= length <= 40)


_BASE58_VERSIONS = {0x00, 0x05, 0x6F, 0xC4}  # P2PKH and P2SH, main and test networks


def _base58_ok(address: str) -> bool:
    try:
        payload = base58.b58decode_check(address)
    except ValueError:
        return False
    return len(payload) == 21 and payload[0] in _BASE58_VERSIONS


def _keccak256(data: bytes) -> bytes:
    from Cryptodome.Hash import keccak

    return keccak.new(digest_bits=256, data=data).digest()


def _eip55_ok(hex_part: str) -> bool:
    """All lower or all upper case carries no checksum; mixed case must be EIP-55's."""
    if hex_part.lower() == hex_part or hex_part.upper() == hex_part:
        return True
    digest = _keccak256(hex_part.lower().encode()).hex()
    return all((ch.upper() if int(d, 16) >= 8 else ch.lower()) == ch for ch, d in zip(hex_part, digest, strict=False)
               if ch.isalpha())


_ETH = re.compile(r"^0[xX]([0-9a-fA-F]{40})$")
CURRENCIES = {"BTC": "Bitcoin", "ETH": "Ethereum"}


def normalise_crypto(address: str | None, currency: str | None = "") -> str:
    """CURRENCY:address. Bitcoin (Base58Check or Bech32/Bech32m, checked; a Bech32 address in lower
    case) and Ethereum (0x and 40 hex digits in lower case, a mixed-case EIP-55 checksum checked);
    the currency is told by the format when not given. Another currency's address is kept as
    written (letters and digits), not checked."""
    text = (address or "").strip()
    code = re.sub(r"[^A-Z0-9]", "", (currency or "").upper())
    if not text:
        raise NormalisationError(N_("give the address"))
    if m := _ETH.match(text):
        if code not in ("", "ETH"):
            raise NormalisationError(N_("%(text)r is an Ethereum address, not %(code)s"), text=text, code=code)
        if not _eip55_ok(m[1]):
            raise NormalisationError(N_("%(text)r is not a valid Ethereum address: its EIP-55 checksum (mixed case) is wrong"), text=text)
        return f"ETH:0x{m[1].lower()}"
    if text[:3].lower() in ("bc1", "tb1"):
        if code not in ("", "BTC"):
            raise NormalisationError(N_("%(text)r is a Bitcoin address, not %(code)s"), text=text, code=code)
        if not _segwit_ok(text):
            raise NormalisationError(N_("%(text)r is not a valid Bitcoin address: its Bech32 checksum is wrong"), text=text)
        return f"BTC:{text.lower()}"
    if code in ("", "BTC") and text[:1] in "13mn2":
        if not _base58_ok(text):
            raise NormalisationError(N_("%(text)r is not a valid Bitcoin address: its Base58Check checksum is wrong"), text=text)
        return f"BTC:{text}"
    if code in ("BTC", "ETH"):
        raise NormalisationError(N_("%(text)r is not a %(currency)s address"), text=text, currency=CURRENCIES[code])
    if not code:
        raise NormalisationError(N_("%(text)r is neither a Bitcoin nor an Ethereum address; give its currency"), text=text)
    if not re.fullmatch(r"[A-Za-z0-9]{16,120}", text):
        raise NormalisationError(N_("%(text)r is not a crypto-currency address (16 to 120 letters and digits)"), text=text)
    return f"{code}:{text}"


# ---------------------------------------------------------------------------- handles (accounts)
PLATFORMS = {
    "x": "X (Twitter)", "telegram": "Telegram", "instagram": "Instagram", "facebook": "Facebook",
    "tiktok": "TikTok", "snapchat": "Snapchat", "whatsapp": "WhatsApp", "signal": "Signal", "discord": "Discord",
    "skype": "Skype", "threema": "Threema", "wickr": "Wickr", "session": "Session", "linkedin": "LinkedIn",
    "vk": "VK", "youtube": "YouTube", "reddit": "Reddit", "wechat": "WeChat", "viber": "Viber", "kik": "Kik",
    "mastodon": "Mastodon", "bluesky": "Bluesky", "other": "other",
}
_PLATFORM_ALIASES = {"twitter": "x", "tg": "telegram", "t.me": "telegram", "ig": "instagram", "fb": "facebook",
                     "vkontakte": "vk", "wa": "whatsapp", "bsky": "bluesky", "tik tok": "tiktok"}
_PHONE_PLATFORMS = {"whatsapp", "signal", "viber"}
_URL = re.compile(r"^(?:https?://)?(?:www\.)?[a-z0-9.-]+\.[a-z]{2,}/(?:@)?", re.IGNORECASE)
_HANDLE = re.compile(r"^[a-z0-9._@+-]{1,100}$")


def normalise_platform(platform: str | None) -> str:
    key = fold(platform).strip()
    key = _PLATFORM_ALIASES.get(key, key)
    if key not in PLATFORMS:
        raise NormalisationError(N_("%(platform)r is not a known platform (%(platforms)s)"), platform=platform, platforms=', '.join(sorted(PLATFORMS)))
    return key


def normalise_handle(platform: str | None, handle: str | None, default_country: str | None = None) -> str:
    """platform:handle. The platform by its usual name (twitter → x, tg → telegram); the handle
    folded, without a leading @ or a profile link's address (https://t.me/name → name); on the
    messengers addressed by phone number (WhatsApp, Signal, Viber) a number in E.164."""
    key = normalise_platform(platform)
    text = fold(handle).strip()
    text = _URL.sub("", text).strip("/").split("?")[0]
    if "/" in text:
        text = [part for part in text.split("/") if part][-1]
    text = text.lstrip("@")
    if key in _PHONE_PLATFORMS and re.fullmatch(r"\+?[0-9 ()./-]{6,}", text):
        return f"{key}:{normalise_phone(text, default_country)}"
    if not _HANDLE.match(text):
        raise NormalisationError(N_("%(handle)r is not a handle (letters, digits, . _ - up to 100)"), handle=handle)
    return f"{key}:{text}"


__all__ = ["normalise_address", "normalise_street", "normalise_iban", "normalise_bic", "format_iban",
           "normalise_ip", "normalise_crypto", "CURRENCIES", "normalise_handle", "normalise_platform", "PLATFORMS"]
