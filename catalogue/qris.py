"""QRIS (Indonesian EMVCo merchant-presented QR) payload parsing, checking and building.

Producers paste the text behind their printed QRIS sticker; we store it and, at checkout,
turn it into a *dynamic* code carrying the order total so the buyer's wallet app pre-fills
the amount.  A payload that is even one character off still renders as a QR image but is
refused by every wallet (bad CRC) or pays the wrong merchant, so it is checked strictly
here, once, with messages a producer or admin can act on.

Everything in this module is pure: strings in, strings out, no models and no database.
Failures are raised as :class:`QrisError`, a Django ``ValidationError`` carrying a stable
``code`` (the ``CODE_*`` constants below), so forms and ``full_clean()`` show the
Indonesian message while code and tests can branch on ``error.code``.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Stable error codes (``QrisError.code``). Every structural TLV problem shares
# CODE_STRUCTURE: the message says where and what, callers only need "it is broken".
CODE_EMPTY = "qris_empty"
CODE_INVALID_CHARACTER = "qris_invalid_character"
CODE_STRUCTURE = "qris_structure"
CODE_FORMAT_INDICATOR_POSITION = "qris_format_indicator_position"
CODE_FORMAT_INDICATOR_VALUE = "qris_format_indicator_value"
CODE_CRC_MISSING = "qris_crc_missing"
CODE_CRC_NOT_LAST = "qris_crc_not_last"
CODE_CRC_FORMAT = "qris_crc_format"
CODE_CRC_MISMATCH = "qris_crc_mismatch"
CODE_DUPLICATE_TAG = "qris_duplicate_tag"
CODE_INITIATION_METHOD = "qris_initiation_method"
CODE_NOT_STATIC = "qris_not_static"
CODE_CURRENCY = "qris_currency"
CODE_COUNTRY = "qris_country"
CODE_MERCHANT_NAME = "qris_merchant_name"
CODE_MERCHANT_CITY = "qris_merchant_city"
CODE_AMOUNT = "qris_amount"

TAG_FORMAT_INDICATOR = "00"
TAG_INITIATION_METHOD = "01"
TAG_CURRENCY = "53"
TAG_AMOUNT = "54"
TAG_COUNTRY = "58"
TAG_MERCHANT_NAME = "59"
TAG_MERCHANT_CITY = "60"
TAG_ADDITIONAL_DATA = "62"
SUBTAG_BILL_NUMBER = "01"
TAG_CRC = "63"

INITIATION_STATIC = "11"
INITIATION_DYNAMIC = "12"
CURRENCY_IDR = "360"
COUNTRY_ID = "ID"

MAX_VALUE_LENGTH = 99  # two length digits
MAX_AMOUNT_LENGTH = 13  # EMV QRCPS, tag 54
MAX_MERCHANT_NAME_LENGTH = 25  # EMV QRCPS, tag 59
MAX_MERCHANT_CITY_LENGTH = 15  # EMV QRCPS, tag 60
MAX_BILL_NUMBER_LENGTH = 25  # EMV QRCPS, tag 62 sub-tag 01

# "6304" is part of the CRC input, so the checksum covers its own tag and length.
_CRC_HEADER = TAG_CRC + "04"
_CRC_RE = re.compile(r"[0-9A-F]{4}")
_AMOUNT_RE = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_TWO_DIGITS_RE = re.compile(r"[0-9]{2}")


class QrisError(ValidationError):
    """A QRIS payload failed a check; ``code`` is one of the ``CODE_*`` constants.

    Subclassing ``ValidationError`` lets ``validate_static`` serve directly as a model-field
    validator while callers that only care about QRIS can catch this narrower type.
    """


def _fail(message: str, code: str, **params: object) -> QrisError:
    return QrisError(message, code=code, params=params or None)


def crc16_ccitt_false(data: str | bytes) -> str:
    """CRC-16/CCITT-FALSE as EMVCo QR specifies it, as 4 uppercase hex digits.

    Poly 0x1021, init 0xFFFF, no reflection, no final XOR.  ``str`` input is encoded as
    UTF-8 (payloads are normally plain ASCII, where that makes no difference).
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    crc = 0xFFFF
    for byte in raw:
        crc ^= byte << 8
        for _bit in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return f"{crc:04X}"


def parse(payload: str) -> list[tuple[str, str]]:
    """Split a payload into ordered ``(tag, value)`` pairs, checking the TLV framing only.

    No semantic rule (CRC, mandatory tags, ...) is applied here, so tooling can inspect a
    payload that :func:`validate` would reject.  Positions in messages are 1-based.
    """
    fields: list[tuple[str, str]] = []
    pos = 0
    end = len(payload)
    while pos < end:
        if end - pos < 4:
            raise _fail(
                _(
                    "Struktur QRIS rusak di posisi %(position)d: tag dan panjang tidak lengkap "
                    "(tersisa “%(rest)s”)."
                ),
                CODE_STRUCTURE,
                position=pos + 1,
                rest=payload[pos:],
            )
        tag, length = payload[pos : pos + 2], payload[pos + 2 : pos + 4]
        if not _TWO_DIGITS_RE.fullmatch(tag):
            raise _fail(
                _("Struktur QRIS rusak di posisi %(position)d: tag “%(tag)s” bukan dua digit angka."),
                CODE_STRUCTURE,
                position=pos + 1,
                tag=tag,
            )
        if not _TWO_DIGITS_RE.fullmatch(length):
            raise _fail(
                _(
                    "Struktur QRIS rusak di posisi %(position)d: panjang “%(length)s” untuk tag "
                    "%(tag)s bukan dua digit angka."
                ),
                CODE_STRUCTURE,
                position=pos + 3,
                tag=tag,
                length=length,
            )
        start = pos + 4
        stop = start + int(length)
        if stop > end:
            raise _fail(
                _(
                    "Struktur QRIS rusak di posisi %(position)d: tag %(tag)s menyatakan panjang "
                    "%(length)s karakter, tetapi hanya tersisa %(remaining)d."
                ),
                CODE_STRUCTURE,
                position=pos + 1,
                tag=tag,
                length=length,
                remaining=end - start,
            )
        fields.append((tag, payload[start:stop]))
        pos = stop
    return fields


def _serialise(fields: Iterable[tuple[str, str]]) -> str:
    parts: list[str] = []
    for tag, value in fields:
        if not _TWO_DIGITS_RE.fullmatch(tag):
            raise ValueError(f"Tag QRIS harus dua digit angka, bukan {tag!r}.")
        if len(value) > MAX_VALUE_LENGTH:
            raise ValueError(
                f"Nilai tag {tag} terlalu panjang ({len(value)} karakter, maksimum {MAX_VALUE_LENGTH})."
            )
        parts.append(f"{tag}{len(value):02d}{value}")
    return "".join(parts)


def build(fields: list[tuple[str, str]]) -> str:
    """Serialise ``(tag, value)`` pairs in the given order and append a fresh tag 63 CRC.

    Any tag 63 in ``fields`` is dropped: a CRC copied from another payload can only be
    wrong.  No semantic check is made; :func:`validate` the result if it matters.
    Raises ``ValueError`` for a tag that is not two digits or a value over 99 characters.
    """
    body = _serialise((tag, value) for tag, value in fields if tag != TAG_CRC) + _CRC_HEADER
    return body + crc16_ccitt_false(body)


def _check_characters(payload: str) -> None:
    # A pasted payload with a line break still renders as a QR image, but no wallet reads
    # it; name the problem instead of reporting whatever framing error it causes.
    for index, char in enumerate(payload):
        if char < " " or char == "\x7f":
            raise _fail(
                _(
                    "Payload QRIS mengandung karakter kontrol (baris baru, tab, dsb.) di posisi "
                    "%(position)d; salin ulang sebagai satu baris tanpa spasi tambahan."
                ),
                CODE_INVALID_CHARACTER,
                position=index + 1,
            )


def _check_crc(payload: str, fields: list[tuple[str, str]]) -> None:
    tags = [tag for tag, _value in fields]
    if TAG_CRC not in tags:
        raise _fail(
            _("Payload QRIS tidak memiliki CRC (tag 63) di bagian akhir."),
            CODE_CRC_MISSING,
        )
    if tags[-1] != TAG_CRC:
        raise _fail(
            _("CRC (tag 63) harus menjadi elemen terakhir payload QRIS."),
            CODE_CRC_NOT_LAST,
        )
    found = fields[-1][1]
    if not _CRC_RE.fullmatch(found):
        raise _fail(
            _("CRC (tag 63) harus 4 digit heksadesimal huruf besar, bukan “%(found)s”."),
            CODE_CRC_FORMAT,
            found=found,
        )
    expected = crc16_ccitt_false(payload[: -len(found)])
    if found != expected:
        raise _fail(
            _(
                "CRC QRIS tidak cocok: seharusnya %(expected)s, tertulis %(found)s. "
                "Payload kemungkinan salah salin atau telah diubah."
            ),
            CODE_CRC_MISMATCH,
            expected=expected,
            found=found,
        )


def _check_fields(fields: list[tuple[str, str]]) -> dict[str, str]:
    values: dict[str, str] = {}
    for tag, value in fields:
        if tag in values:
            raise _fail(
                _("Tag %(tag)s muncul lebih dari sekali dalam payload QRIS."),
                CODE_DUPLICATE_TAG,
                tag=tag,
            )
        values[tag] = value

    method = values.get(TAG_INITIATION_METHOD)
    if method not in (INITIATION_STATIC, INITIATION_DYNAMIC):
        raise _fail(
            _("Tag 01 (metode inisiasi) harus 11 (statis) atau 12 (dinamis), bukan “%(found)s”."),
            CODE_INITIATION_METHOD,
            found=method or "",
        )
    currency = values.get(TAG_CURRENCY)
    if currency != CURRENCY_IDR:
        raise _fail(
            _("Mata uang QRIS (tag 53) harus 360 (Rupiah), bukan “%(found)s”."),
            CODE_CURRENCY,
            found=currency or "",
        )
    country = values.get(TAG_COUNTRY)
    if country != COUNTRY_ID:
        raise _fail(
            _("Kode negara QRIS (tag 58) harus ID, bukan “%(found)s”."),
            CODE_COUNTRY,
            found=country or "",
        )
    if not values.get(TAG_MERCHANT_NAME, "").strip():
        raise _fail(
            _("Nama merchant (tag 59) tidak ada atau kosong dalam payload QRIS."),
            CODE_MERCHANT_NAME,
        )
    if not values.get(TAG_MERCHANT_CITY, "").strip():
        raise _fail(
            _("Kota merchant (tag 60) tidak ada atau kosong dalam payload QRIS."),
            CODE_MERCHANT_CITY,
        )
    amount_value = values.get(TAG_AMOUNT)
    if amount_value is not None and (
        len(amount_value) > MAX_AMOUNT_LENGTH or not _AMOUNT_RE.fullmatch(amount_value)
    ):
        raise _fail(
            _(
                "Nominal QRIS (tag 54) harus berupa angka, boleh dengan titik desimal, maksimum "
                "13 karakter; tertulis “%(found)s”."
            ),
            CODE_AMOUNT,
            found=amount_value,
        )
    return values


def _validated(payload: str) -> tuple[list[tuple[str, str]], dict[str, str]]:
    if not payload:
        raise _fail(_("Payload QRIS kosong."), CODE_EMPTY)
    _check_characters(payload)
    fields = parse(payload)
    if fields[0][0] != TAG_FORMAT_INDICATOR:
        raise _fail(
            _("Payload QRIS harus diawali tag 00 (Payload Format Indicator), bukan tag %(tag)s."),
            CODE_FORMAT_INDICATOR_POSITION,
            tag=fields[0][0],
        )
    if fields[0][1] != "01":
        raise _fail(
            _("Tag 00 (Payload Format Indicator) harus bernilai 01, bukan “%(found)s”."),
            CODE_FORMAT_INDICATOR_VALUE,
            found=fields[0][1],
        )
    _check_crc(payload, fields)
    return fields, _check_fields(fields)


def validate(payload: str) -> None:
    """Raise :class:`QrisError` unless ``payload`` is a well-formed static or dynamic QRIS.

    Checks run in a fixed order (characters, TLV framing, tag 00, CRC, then field rules) so
    a damaged payload reports the most basic failure first: after a copy error the CRC
    mismatch is the useful message, not whatever field happened to be garbled.
    """
    _validated(payload)


def validate_static(payload: str) -> None:
    """Validator for a producer's stored QRIS: :func:`validate` plus tag 01 = ``11``.

    The stored code is the producer's printed sticker; a dynamic code embeds one order's
    amount and would charge every later buyer that amount.  Surrounding whitespace must be
    stripped by the caller (the model does so in ``clean()``); anything inside is an error.
    """
    _fields, values = _validated(payload)
    if values[TAG_INITIATION_METHOD] != INITIATION_STATIC:
        raise _fail(
            _(
                "QRIS ini dinamis (tag 01 = 12) dan hanya berlaku untuk satu transaksi; "
                "simpan QRIS statis (tag 01 = 11) milik penjual."
            ),
            CODE_NOT_STATIC,
        )


def _amount_digits(value: int) -> str:
    # bool is an int subclass; True would silently become "1" rupiah.
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"Nominal QRIS harus bilangan bulat rupiah (int), bukan {type(value).__name__}.")
    if value < 1:
        raise ValueError(f"Nominal QRIS harus minimal 1 rupiah, bukan {value}.")
    digits = str(value)
    if len(digits) > MAX_AMOUNT_LENGTH:
        raise ValueError(f"Nominal QRIS {value} melebihi {MAX_AMOUNT_LENGTH} digit yang diizinkan tag 54.")
    return digits


def to_dynamic(payload: str, amount: int) -> str:
    """Turn a valid QRIS into a dynamic one for ``amount`` whole rupiah.

    Tag 01 becomes ``12`` and tag 54 carries the amount as plain digits (replacing any
    existing amount in place, otherwise inserted right after tag 53 where the EMV tag order
    puts it); every other tag keeps its value and order, and the CRC is recomputed.
    Raises ``ValueError`` for an amount that is not an ``int`` >= 1 (``bool`` included) or
    longer than 13 digits, and :class:`QrisError` if ``payload`` itself is invalid.
    """
    digits = _amount_digits(amount)
    fields, _values = _validated(payload)
    result: list[tuple[str, str]] = []
    has_amount = any(tag == TAG_AMOUNT for tag, _value in fields)
    for tag, value in fields:
        if tag == TAG_INITIATION_METHOD:
            result.append((tag, INITIATION_DYNAMIC))
        elif tag == TAG_AMOUNT:
            result.append((tag, digits))
        elif tag != TAG_CRC:
            result.append((tag, value))
        if tag == TAG_CURRENCY and not has_amount:
            result.append((TAG_AMOUNT, digits))
    return build(result)


def _bill_digits(bill: str) -> str:
    if not isinstance(bill, str) or not 1 <= len(bill) <= MAX_BILL_NUMBER_LENGTH:
        raise ValueError(f"Nomor tagihan QRIS harus 1-{MAX_BILL_NUMBER_LENGTH} karakter, bukan {bill!r}.")
    if not all(" " <= char <= "~" for char in bill):
        raise ValueError(f"Nomor tagihan QRIS hanya boleh huruf, angka dan tanda baca ASCII: {bill!r}.")
    return bill


def with_bill_number(payload: str, bill: str) -> str:
    """Put ``bill`` in tag 62 (additional data), sub-tag 01 (bill number) of a dynamic payload.

    An existing tag 62 keeps its other sub-tags and their order (sub-tag 01 replaced in place, or
    put first); without one, tag 62 goes just before the CRC. Every other tag is untouched and the
    CRC is recomputed. Raises ``ValueError`` for a bill number that is empty, over 25 characters or
    not printable ASCII, or a payload that is static (a bill number belongs to one transaction), and
    :class:`QrisError` for an invalid payload.
    """
    bill = _bill_digits(bill)
    fields, values = _validated(payload)
    if values[TAG_INITIATION_METHOD] != INITIATION_DYNAMIC:
        raise ValueError("Nomor tagihan hanya untuk QRIS dinamis (tag 01 = 12).")
    result: list[tuple[str, str]] = []
    placed = False
    for tag, value in fields:
        if tag == TAG_ADDITIONAL_DATA:
            sub = parse(value)
            tags = [sub_tag for sub_tag, _sub_value in sub]
            if SUBTAG_BILL_NUMBER in tags:
                sub[tags.index(SUBTAG_BILL_NUMBER)] = (SUBTAG_BILL_NUMBER, bill)
            else:
                sub.insert(0, (SUBTAG_BILL_NUMBER, bill))
            result.append((tag, _serialise(sub)))
            placed = True
        elif tag == TAG_CRC and not placed:
            result.append((TAG_ADDITIONAL_DATA, _serialise([(SUBTAG_BILL_NUMBER, bill)])))
        elif tag != TAG_CRC:
            result.append((tag, value))
    return build(result)


def bill_number(payload: str) -> str | None:
    """The bill number (tag 62, sub-tag 01) of a valid payload, or ``None`` when it has none."""
    additional = _validated(payload)[1].get(TAG_ADDITIONAL_DATA)
    if additional is None:
        return None
    return dict(parse(additional)).get(SUBTAG_BILL_NUMBER)


def merchant_name(payload: str) -> str:
    """Merchant name (tag 59) of a valid payload, as written (wallets show it verbatim)."""
    return _validated(payload)[1][TAG_MERCHANT_NAME]


def amount(payload: str) -> int | None:
    """Whole-rupiah amount (tag 54) of a valid payload, or ``None`` when it has none.

    Some issuers write ``39000.00``; the rupiah has no minor unit in practice, so the
    fractional part is dropped (truncated, never rounded up).
    """
    value = _validated(payload)[1].get(TAG_AMOUNT)
    return None if value is None else int(Decimal(value))


def _ascii_text(text: str, limit: int) -> str:
    # Tags 59/60 are ANS (printable ASCII) in the EMV spec; fold "Ngadhu Bhaga – Ende" style
    # names so demo data never produces a payload some wallet might refuse.
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return " ".join(folded.split())[:limit].rstrip()


def make_demo_static(*, merchant_name: str, city: str, merchant_id: str) -> str:
    """A structurally valid static QRIS for demo/seed data (it pays nobody).

    ``merchant_id`` is 1-13 ASCII letters or digits; it becomes the NMID (``ID`` + the id
    zero-padded to 13) and, when numeric, the merchant PAN under Bank NTT's NNS.  Name and
    city are folded to ASCII and truncated to the EMV limits (25 and 15 characters).
    Raises ``ValueError`` for an unusable id, name or city.
    """
    if not (1 <= len(merchant_id) <= 13 and merchant_id.isascii() and merchant_id.isalnum()):
        raise ValueError(f"merchant_id harus 1-13 huruf/angka ASCII, bukan {merchant_id!r}.")
    name = _ascii_text(merchant_name, MAX_MERCHANT_NAME_LENGTH)
    town = _ascii_text(city, MAX_MERCHANT_CITY_LENGTH)
    if not name:
        raise ValueError("Nama merchant demo tidak boleh kosong.")
    if not town:
        raise ValueError("Kota merchant demo tidak boleh kosong.")

    ident = merchant_id.upper()
    # A PAN is numeric; a non-numeric id gets a stable number derived from it.
    numeric = ident if ident.isdigit() else str(zlib.crc32(ident.encode("ascii")))
    pan = "93600130" + numeric.zfill(10)[-10:]
    account = _serialise(
        [("00", "ID.CO.BANKNTT.WWW"), ("01", pan), ("02", ident), ("03", "UMI")],
    )
    national = _serialise(
        [("00", "ID.CO.QRIS.WWW"), ("02", "ID" + ident.zfill(13)), ("03", "UMI")],
    )
    payload = build(
        [
            (TAG_FORMAT_INDICATOR, "01"),
            (TAG_INITIATION_METHOD, INITIATION_STATIC),
            ("26", account),
            ("51", national),
            ("52", "5499"),
            (TAG_CURRENCY, CURRENCY_IDR),
            (TAG_COUNTRY, COUNTRY_ID),
            (TAG_MERCHANT_NAME, name),
            (TAG_MERCHANT_CITY, town),
        ]
    )
    validate_static(payload)
    return payload
