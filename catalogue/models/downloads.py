"""Who downloaded which private file, and when: partners (e.g. BPOM) verify certificate scans and
stage evidence by downloading them, and Admin PMD can see every download afterwards."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class FileDownload(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("pengguna"),
    )
    # Kept as written at download time: the record still says who it was after the account is gone.
    username = models.CharField(_("nama pengguna"), max_length=150)
    path = models.CharField(_("berkas"), max_length=255)
    downloaded_at = models.DateTimeField(_("waktu unduh"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-downloaded_at", "-pk"]
        verbose_name = _("unduhan berkas")
        verbose_name_plural = _("unduhan berkas")

    def __str__(self) -> str:
        return f"{self.username} · {self.path}"

    @classmethod
    def record(cls, *, user, path: str) -> FileDownload:
        return cls.objects.create(user=user, username=user.get_username(), path=path)

    @property
    def kind(self) -> str:
        """`bukti` (stage evidence) or `sertifikat` (certificate scan): the file's folder."""
        return self.path.split("/", 1)[0]
