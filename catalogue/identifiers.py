"""Identifiers used by the shop: WhatsApp numbers, NIB, GTIN-13 and food permits/certificates.

Pure functions, no models and no database. Every failure is a ``ValidationError`` with a ``code``
and an Indonesian message that shows the expected form, so model fields and forms can display it.
"""

from __future__ import annotations

import datetime
import re
from urllib.parse import quote

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# --- WhatsApp -------------------------------------------------------------------------------------

_PHONE_SEPARATORS = re.compile(r"[\s.\-()]")
# National significant number of an Indonesian mobile: 8 followed by 8 to 11 digits (9-12 in all).
_MOBILE_NSN = re.compile(r"8[0-9]{8,11}")

MSG_BAD_WHATSAPP = _(
    "Nomor WhatsApp tidak sah: gunakan nomor ponsel Indonesia seperti 0812-3456-7890 atau +6281234567890."
)
MSG_WHATSAPP_NOT_E164 = _("Nomor WhatsApp harus disimpan dalam format internasional seperti +6281234567890.")


def normalize_whatsapp(value: str) -> str:
    """Return the E.164 form (``+628…``) of an Indonesian mobile number written as 08…, 628… or +628…."""
    compact = _PHONE_SEPARATORS.sub("", value or "")
    for prefix in ("+62", "62", "0"):
        if compact.startswith(prefix):
            national = compact[len(prefix) :]
            break
    else:
        national = ""
    if not _MOBILE_NSN.fullmatch(national):
        raise ValidationError(MSG_BAD_WHATSAPP, code="bad_whatsapp", params={"value": value})
    return f"+62{national}"


def validate_whatsapp(value: str) -> None:
    """Model validator: the value must already be in E.164 form (+628…)."""
    if normalize_whatsapp(value) != value:
        raise ValidationError(MSG_WHATSAPP_NOT_E164, code="bad_whatsapp", params={"value": value})


def whatsapp_link(e164: str, text: str = "") -> str:
    """Click-to-chat link, e.g. ``https://wa.me/6281234567890?text=Halo%20kak``."""
    number = normalize_whatsapp(e164).removeprefix("+")
    url = f"https://wa.me/{number}"
    if text:
        url += "?text=" + quote(text, safe="")
    return url


# --- NIB (Nomor Induk Berusaha) -------------------------------------------------------------------

_NIB = re.compile(r"[0-9]{13}")
MSG_BAD_NIB = _("NIB tidak sah: NIB terdiri dari tepat 13 angka, misalnya 9120001234567.")


def validate_nib(value: str) -> None:
    if not _NIB.fullmatch(value or ""):
        raise ValidationError(MSG_BAD_NIB, code="bad_nib", params={"value": value})


# --- GTIN-13 / EAN-13 -----------------------------------------------------------------------------

_GTIN_SEPARATORS = re.compile(r"[\s\-]")
MSG_BAD_GTIN_FORMAT = _("GTIN-13 hanya boleh berisi angka, misalnya 8991002101234.")
MSG_BAD_GTIN_LENGTH = _(
    "GTIN-13 harus terdiri dari tepat 13 angka (sekarang %(length)d), misalnya 8991002101234."
)
MSG_BAD_GTIN_CHECKSUM = _(
    "Digit periksa GTIN-13 salah: untuk 12 angka pertama %(body)s, angka terakhir seharusnya %(expected)s. "
    "Periksa kembali angka pada barcode."
)
MSG_GTIN_NOT_COMPACT = _("GTIN-13 harus disimpan tanpa spasi atau tanda hubung, misalnya 8991002101234.")


def normalize_gtin13(value: str) -> str:
    """Strip spaces and dashes; return the 13 digits if the EAN-13 check digit is right."""
    number = _GTIN_SEPARATORS.sub("", value or "")
    if not re.fullmatch(r"[0-9]+", number):
        raise ValidationError(MSG_BAD_GTIN_FORMAT, code="bad_gtin_format", params={"value": value})
    if len(number) != 13:
        raise ValidationError(
            MSG_BAD_GTIN_LENGTH, code="bad_gtin_length", params={"value": value, "length": len(number)}
        )
    from stdnum import ean  # on first use: python-stdnum loads pydoc, a few ms of every start-up

    expected = ean.calc_check_digit(number[:12])
    if number[12] != expected:
        raise ValidationError(
            MSG_BAD_GTIN_CHECKSUM,
            code="bad_gtin_checksum",
            params={"value": value, "expected": expected, "body": number[:12]},
        )
    return number


def validate_gtin13(value: str) -> None:
    """Model validator: 13 digits, valid check digit, no separators."""
    if normalize_gtin13(value) != value:
        raise ValidationError(MSG_GTIN_NOT_COMPACT, code="bad_gtin_format", params={"value": value})


def is_gs1_indonesia(gtin: str) -> bool:
    """True when the GTIN carries the GS1 Indonesia prefix 899."""
    return _GTIN_SEPARATORS.sub("", gtin or "").startswith("899")


# --- BPOM distribution permit (MD / ML) -----------------------------------------------------------

_BPOM = re.compile(r"(?:BPOM(?:RI)?)?(MD|ML)([0-9]{12})")
MSG_BAD_BPOM = _(
    "Nomor izin edar BPOM tidak sah: gunakan MD atau ML diikuti 12 angka, seperti BPOM RI MD 224510107115."
)


def _strip_permit_separators(value: str) -> str:
    return re.sub(r"[\s.\-:]", "", (value or "").upper())


def normalize_bpom(value: str) -> str:
    """Return the compact form, e.g. ``MD224510107115``, of a BPOM RI MD/ML number."""
    match = _BPOM.fullmatch(_strip_permit_separators(value))
    if not match:
        raise ValidationError(MSG_BAD_BPOM, code="bad_bpom", params={"value": value})
    return match[1] + match[2]


def format_bpom(number: str) -> str:
    """Label form, e.g. ``BPOM RI MD 224510107115``."""
    compact = normalize_bpom(number)
    return f"BPOM RI {compact[:2]} {compact[2:]}"


# --- P-IRT (Pangan Industri Rumah Tangga) ---------------------------------------------------------

# 1 packaging type, 2 food type, 4 regency code (province + regency), 3 product, 3 producer, 2 expiry year.
_PIRT = re.compile(r"(?:SPPIRT|PIRT)?(?:NOMOR|NO)?([0-9]{15})")
MSG_BAD_PIRT = _("Nomor P-IRT tidak sah: harus 15 angka, seperti P-IRT No. 2153276010281-21.")
MSG_PIRT_EXPIRY_MISMATCH = _(
    "Dua angka terakhir nomor P-IRT (%(suffix)s) menunjukkan masa berlaku sampai tahun %(pirt_year)d, "
    "tetapi tanggal berlaku sampai yang diisi jatuh pada tahun %(year)d."
)


def normalize_pirt(value: str) -> str:
    """Return the 15 digits of a P-IRT number written as ``P-IRT No. 2153276010281-21`` or similar."""
    match = _PIRT.fullmatch(_strip_permit_separators(value))
    if not match:
        raise ValidationError(MSG_BAD_PIRT, code="bad_pirt", params={"value": value})
    return match[1]


def format_pirt(digits: str) -> str:
    """Label form, e.g. ``P-IRT No. 2153276010281-21``."""
    number = normalize_pirt(digits)
    return f"P-IRT No. {number[:13]}-{number[13:]}"


def pirt_expiry_year_suffix(digits: str) -> int:
    """The last two digits of the year the P-IRT expires (digits 14-15)."""
    return int(normalize_pirt(digits)[13:])


def pirt_regency_code(digits: str) -> str:
    """The 4-digit regency code (province + regency, digits 4-7), e.g. ``5327``."""
    return normalize_pirt(digits)[3:7]


def validate_pirt_expiry(digits: str, expiry: datetime.date) -> None:
    """The P-IRT's last two digits must equal the expiry date's year modulo 100."""
    suffix = pirt_expiry_year_suffix(digits)
    if suffix != expiry.year % 100:
        raise ValidationError(
            MSG_PIRT_EXPIRY_MISMATCH,
            code="pirt_expiry_mismatch",
            params={
                "suffix": f"{suffix:02d}",
                "pirt_year": expiry.year - expiry.year % 100 + suffix,
                "year": expiry.year,
            },
        )


# --- Halal certificate (BPJPH) --------------------------------------------------------------------

_HALAL = re.compile(r"ID[0-9]{8,20}")
MSG_BAD_HALAL = _(
    "Nomor sertifikat halal tidak sah: gunakan ID diikuti 8 sampai 20 angka, seperti ID53110000123450224."
)


def normalize_halal(value: str) -> str:
    number = re.sub(r"\s", "", (value or "").upper())
    if not _HALAL.fullmatch(number):
        raise ValidationError(MSG_BAD_HALAL, code="bad_halal", params={"value": value})
    return number


# --- Dispatcher by certificate kind (values of catalogue.models.support.CertificateKind) ----------

_BPOM_PREFIX = {"bpom_md": "MD", "bpom_ml": "ML"}
MSG_BPOM_KIND_MISMATCH = _(
    "Nomor ini adalah izin edar %(actual)s, bukan %(expected)s: pilih jenis yang sesuai, "
    "misalnya BPOM RI %(expected)s 224510107115."
)


def validate_certificate_number(kind: str, value: str) -> str:
    """Validate ``value`` for the certificate ``kind`` and return the normalised number."""
    if kind in _BPOM_PREFIX:
        number = normalize_bpom(value)
        expected = _BPOM_PREFIX[kind]
        if not number.startswith(expected):
            raise ValidationError(
                MSG_BPOM_KIND_MISMATCH,
                code="bpom_kind_mismatch",
                params={"value": value, "actual": number[:2], "expected": expected},
            )
        return number
    if kind == "pirt":
        return normalize_pirt(value)
    if kind == "halal":
        return normalize_halal(value)
    raise ValueError(f"Unknown certificate kind: {kind!r}")


def format_certificate_number(kind: str, number: str) -> str:
    """Label form: ``BPOM RI MD 224510107115``, ``P-IRT No. 2153276010281-21`` or ``ID53110000123450224``."""
    normalised = validate_certificate_number(kind, number)
    if kind in _BPOM_PREFIX:
        return format_bpom(normalised)
    if kind == "pirt":
        return format_pirt(normalised)
    return normalised
