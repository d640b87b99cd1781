"""Forms of the campaign. Field names are a public interface (checked from outside):

- checkout: ``pembeli`` (``pribadi``, ``asn`` or ``instansi``), ``instansi`` (an agency's slug or id),
  ``nip`` (optional, ASN), ``pejabat`` and ``jabatan`` (required for ``instansi``), ``npwp`` (optional);
- quotation request: ``instansi``, ``jumlah``, ``tanggal``, ``kabupaten``, ``nama``, ``whatsapp``,
  ``email``, ``catatan``; the producer's answer: ``harga``, ``jumlah``, ``tanggal``, ``catatan``.
"""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalogue import identifiers
from catalogue.campaign.buyers import CampaignBuyer
from catalogue.campaign.nip import normalize_npwp, parse_nip
from catalogue.models import Agency, BuyerKind, Payment
from villages.models import Regency

MSG_AGENCY_REQUIRED = _("Pilih instansi Anda dari daftar.")
MSG_UNKNOWN_AGENCY = _("Instansi ini tidak ada di daftar; pilih dari daftar.")
MSG_OFFICIAL_REQUIRED = _("Wajib diisi untuk pembelian instansi.")
MAX_QUOTE_QUANTITY = 100_000


class AgencyField(forms.Field):
    """An agency chosen from the active list, by slug (what the <select> sends) or by id."""

    widget = forms.Select

    def to_python(self, value):
        value = str(value or "").strip()
        if not value:
            return None
        if len(value) > 170:
            raise ValidationError(MSG_UNKNOWN_AGENCY, code="unknown_agency")
        agencies = Agency.objects.filter(is_active=True)
        found = agencies.filter(slug=value).first()
        if found is None and value.isdigit():
            found = agencies.filter(pk=int(value)).first()
        if found is None:
            raise ValidationError(MSG_UNKNOWN_AGENCY, code="unknown_agency")
        return found


def agency_choices() -> list[tuple[str, str]]:
    return [("", _("— pilih instansi —")), *Agency.objects.filter(is_active=True).values_list("slug", "name")]


class CampaignBuyerForm(forms.Form):
    """The campaign part of the checkout form; `buyer()` is None for a private purchase."""

    pembeli = forms.ChoiceField(
        label=_("Membeli sebagai"),
        choices=BuyerKind.choices,
        initial=BuyerKind.PERSONAL,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Pilih pribadi, ASN, atau instansi.")},
    )
    instansi = AgencyField(label=_("Instansi"), required=False)
    nip = forms.CharField(
        label=_("NIP (tidak wajib)"),
        required=False,
        max_length=30,
        help_text=_("18 angka, misalnya 19800517 200501 1 002."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    pejabat = forms.CharField(label=_("Nama pejabat penanggung jawab"), required=False, max_length=120)
    jabatan = forms.CharField(label=_("Jabatan"), required=False, max_length=120)
    npwp = forms.CharField(
        label=_("NPWP instansi (tidak wajib)"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instansi"].widget.choices = agency_choices()

    def clean_nip(self) -> str:
        raw = self.cleaned_data["nip"].strip()
        return parse_nip(raw).digits if raw else ""

    def clean_npwp(self) -> str:
        raw = self.cleaned_data["npwp"].strip()
        return normalize_npwp(raw) if raw else ""

    def clean(self) -> dict:
        cleaned = super().clean()
        kind = cleaned.get("pembeli") or BuyerKind.PERSONAL
        cleaned["pembeli"] = kind
        if kind == BuyerKind.PERSONAL:
            return cleaned
        if cleaned.get("instansi") is None and "instansi" not in self.errors:
            self.add_error("instansi", ValidationError(MSG_AGENCY_REQUIRED, code="required"))
        if kind == BuyerKind.AGENCY:
            for name in ("pejabat", "jabatan"):
                if not cleaned.get(name, "").strip():
                    self.add_error(name, ValidationError(MSG_OFFICIAL_REQUIRED, code="required"))
        return cleaned

    def buyer(self) -> CampaignBuyer | None:
        data = self.cleaned_data
        if data["pembeli"] == BuyerKind.PERSONAL:
            return None
        agency_purchase = data["pembeli"] == BuyerKind.AGENCY
        return CampaignBuyer(
            kind=data["pembeli"],
            agency=data["instansi"],
            nip=data["nip"] if data["pembeli"] == BuyerKind.CIVIL_SERVANT else "",
            official_name=data["pejabat"].strip() if agency_purchase else "",
            official_title=data["jabatan"].strip() if agency_purchase else "",
            npwp=data["npwp"],
        )


class QuoteRequestForm(forms.Form):
    instansi = AgencyField(label=_("Instansi"), error_messages={"required": MSG_AGENCY_REQUIRED})
    jumlah = forms.IntegerField(
        label=_("Jumlah yang dibutuhkan"),
        min_value=1,
        max_value=MAX_QUOTE_QUANTITY,
        error_messages={
            "required": _("Isi jumlah yang dibutuhkan."),
            "invalid": _("Jumlah harus bilangan bulat."),
            "min_value": _("Jumlah paling sedikit 1."),
            "max_value": _("Jumlah paling banyak %(limit_value)s."),
        },
    )
    tanggal = forms.DateField(
        label=_("Dibutuhkan paling lambat"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("Isi tanggal barang dibutuhkan."), "invalid": _("Tanggal tidak sah.")},
    )
    kabupaten = forms.ModelChoiceField(
        label=_("Kabupaten/kota tujuan"),
        queryset=Regency.objects.order_by("name"),
        to_field_name="slug",
        empty_label=_("— pilih kabupaten/kota —"),
        error_messages={
            "required": _("Pilih kabupaten/kota tujuan."),
            "invalid_choice": _("Kabupaten/kota ini tidak dikenal; pilih dari daftar."),
        },
    )
    nama = forms.CharField(
        label=_("Nama narahubung"), max_length=120, error_messages={"required": _("Isi nama.")}
    )
    whatsapp = forms.CharField(
        label=_("Nomor WhatsApp narahubung"),
        max_length=30,
        error_messages={"required": _("Isi nomor WhatsApp.")},
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(label=_("Email (tidak wajib)"), required=False, max_length=254)
    catatan = forms.CharField(
        label=_("Keterangan (acara, kemasan, dll.)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instansi"].widget.choices = agency_choices()

    def clean_whatsapp(self) -> str:
        return identifiers.normalize_whatsapp(self.cleaned_data["whatsapp"])

    def clean_tanggal(self) -> datetime.date:
        day = self.cleaned_data["tanggal"]
        if day < timezone.localdate():
            raise ValidationError(_("Tanggal ini sudah lewat."), code="past")
        return day


class QuoteAnswerForm(forms.Form):
    harga = forms.IntegerField(
        label=_("Harga satuan (Rp)"),
        min_value=1,
        max_value=1_000_000_000,
        error_messages={
            "required": _("Isi harga satuan."),
            "invalid": _("Harga dalam rupiah bulat, tanpa titik."),
        },
    )
    jumlah = forms.IntegerField(
        label=_("Jumlah yang sanggup disediakan"),
        min_value=1,
        max_value=MAX_QUOTE_QUANTITY,
        error_messages={"required": _("Isi jumlah."), "invalid": _("Jumlah harus bilangan bulat.")},
    )
    tanggal = forms.DateField(
        label=_("Siap tanggal"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("Isi tanggal siap."), "invalid": _("Tanggal tidak sah.")},
    )
    catatan = forms.CharField(
        label=_("Catatan"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class QuoteAcceptForm(forms.Form):
    alamat = forms.CharField(
        label=_("Alamat pengiriman"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
        error_messages={"required": _("Isi alamat pengiriman.")},
    )
    pejabat = forms.CharField(
        label=_("Nama pejabat penanggung jawab"),
        max_length=120,
        error_messages={"required": MSG_OFFICIAL_REQUIRED},
    )
    jabatan = forms.CharField(
        label=_("Jabatan"), max_length=120, error_messages={"required": MSG_OFFICIAL_REQUIRED}
    )
    npwp = forms.CharField(label=_("NPWP instansi (tidak wajib)"), required=False, max_length=30)
    pembayaran = forms.ChoiceField(
        label=_("Pembayaran"),
        choices=Payment.choices,
        initial=Payment.QRIS,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Pilih cara pembayaran."),
            "invalid_choice": _("Pilih QRIS atau tunai."),
        },
    )

    def clean_npwp(self) -> str:
        raw = self.cleaned_data["npwp"].strip()
        return normalize_npwp(raw) if raw else ""
