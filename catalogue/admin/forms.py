"""Forms of the back office admin: certificates with a verification tick, stages with a change note,
and the intermediate form of the bulk "set a stage's status" action."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from catalogue.models import Certificate, Stage, StageKind, StageStatus

VERIFICATION_FIELDS = ("kind", "number", "issued_on", "expires_on", "scan")


def staff_officers():
    return get_user_model().objects.filter(is_staff=True, is_active=True).order_by("username")


class CertificateForm(forms.ModelForm):
    verified = forms.BooleanField(
        label=_("Sudah diverifikasi"),
        required=False,
        help_text=_(
            "Centang setelah dokumen asli diperiksa. Hanya sertifikat terverifikasi dan masih berlaku "
            "yang tampil di toko."
        ),
    )

    class Meta:
        model = Certificate
        fields = ["product", "kind", "number", "issued_on", "expires_on", "scan"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["verified"].initial = self.instance.is_verified

    def apply_verification(self, user) -> None:
        """Stamp who verified and when; a changed document is verified again by whoever saves it
        ticked; an unticked box withdraws the verification."""
        if not self.cleaned_data.get("verified"):
            self.instance.clear_verification()
            return
        document_changed = any(name in self.changed_data for name in VERIFICATION_FIELDS)
        if not self.instance.is_verified or document_changed:
            self.instance.mark_verified(by=user)


class StageForm(forms.ModelForm):
    change_note = forms.CharField(
        label=_("Catatan perubahan status"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Masuk ke riwayat bila status diubah."),
    )

    class Meta:
        model = Stage
        fields = ["status", "officer", "target_date", "completed_on", "note", "evidence"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "officer" in self.fields:
            self.fields["officer"].queryset = staff_officers()

    def history_note(self) -> str:
        """What goes into the history: the change note, else the stage note when it was edited."""
        note = (self.cleaned_data.get("change_note") or "").strip()
        if not note and "note" in self.changed_data:
            note = self.cleaned_data.get("note", "")
        return note


class StageInlineForm(StageForm):
    """The stage rows inside a product: no separate change note; an edited note goes to history."""

    change_note = None

    def history_note(self) -> str:
        return self.cleaned_data.get("note", "") if "note" in self.changed_data else ""


class BulkStageStatusForm(forms.Form):
    kind = forms.ChoiceField(label=_("Tahap"), choices=StageKind.choices)
    status = forms.ChoiceField(label=_("Status baru"), choices=StageStatus.choices)
    note = forms.CharField(
        label=_("Catatan"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Wajib: alasan perubahan, masuk ke riwayat setiap produk."),
    )
