"""The NIP (Nomor Induk Pegawai) of an Indonesian civil servant: 18 digits that carry meaning.

    19800517 200501 1 002
    birth date  appointment month  sex (1 man, 2 woman)  sequence

A NIP is only checked for shape and for dates that exist: whether it belongs to the buyer is not ours
to verify, and it is optional at checkout.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Civil servants are appointed from 18; the oldest still buying were born well after 1940.
OLDEST_BIRTH_YEAR = 1940
MIN_APPOINTMENT_AGE = 18

MSG_NIP_LENGTH = _("NIP harus 18 angka, misalnya 19800517 200501 1 002.")
MSG_NIP_BIRTH = _("NIP tidak sah: 8 angka pertama harus tanggal lahir (tahun, bulan, tanggal).")
MSG_NIP_APPOINTMENT = _("NIP tidak sah: angka ke-9 sampai ke-14 harus tahun dan bulan pengangkatan.")
MSG_NIP_SEX = _("NIP tidak sah: angka ke-15 harus 1 (laki-laki) atau 2 (perempuan).")
MSG_NIP_SEQUENCE = _("NIP tidak sah: 3 angka terakhir (nomor urut) tidak boleh 000.")

_SEPARATORS = re.compile(r"[\s.\-]")


@dataclass(frozen=True)
class Nip:
    digits: str
    birth_date: datetime.date
    appointed: tuple[int, int]  # (year, month)
    sex: int
    sequence: int

    def __str__(self) -> str:
        d = self.digits
        return f"{d[:8]} {d[8:14]} {d[14]} {d[15:]}"


def parse_nip(raw: str, *, today: datetime.date | None = None) -> Nip:
    """The NIP in `raw` (spaces, dots and dashes allowed), or a ValidationError naming the NIP."""
    today = today or datetime.date.today()
    digits = _SEPARATORS.sub("", raw or "")
    if not re.fullmatch(r"\d{18}", digits):
        raise ValidationError(MSG_NIP_LENGTH, code="nip_length")
    try:
        birth = datetime.date(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        raise ValidationError(MSG_NIP_BIRTH, code="nip_birth") from None
    if not OLDEST_BIRTH_YEAR <= birth.year <= today.year - MIN_APPOINTMENT_AGE:
        raise ValidationError(MSG_NIP_BIRTH, code="nip_birth")
    year, month = int(digits[8:12]), int(digits[12:14])
    appointed_too_early = year < birth.year + MIN_APPOINTMENT_AGE
    appointed_in_future = (year, month) > (today.year, today.month)
    if not 1 <= month <= 12 or appointed_too_early or appointed_in_future:
        raise ValidationError(MSG_NIP_APPOINTMENT, code="nip_appointment")
    if digits[14] not in "12":
        raise ValidationError(MSG_NIP_SEX, code="nip_sex")
    if digits[15:] == "000":
        raise ValidationError(MSG_NIP_SEQUENCE, code="nip_sequence")
    return Nip(digits, birth, (year, month), int(digits[14]), int(digits[15:]))


def validate_nip(raw: str) -> None:
    """A model/form validator: an empty NIP is allowed (it is optional), a malformed one is not."""
    if raw:
        parse_nip(raw)


MSG_NPWP = _("NPWP harus 15 atau 16 angka, misalnya 01.234.567.8-901.000 atau 16 angka NIK.")


def normalize_npwp(raw: str) -> str:
    """The digits of an NPWP (15 digits, or the 16-digit form used since 2024), or ValidationError."""
    digits = _SEPARATORS.sub("", raw or "").replace(",", "")
    if not re.fullmatch(r"\d{15}|\d{16}", digits):
        raise ValidationError(MSG_NPWP, code="npwp")
    return digits
