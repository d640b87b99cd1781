"""Evidence files and certificate scans: stored outside MEDIA_ROOT, streamed only to staff who may
view the stage or certificate they belong to; each download is recorded (FileDownload)."""

from __future__ import annotations

from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from catalogue import documents
from catalogue.models import Certificate, CurationScore, FileDownload, Stage
from catalogue.models.support import private_storage
from villages.models import Candidate, Criterion

# The folder of each kind of private file, the model and fields that own it, and the permission to
# read it.
OWNERS = {
    "bukti": (Stage, ("evidence",), "catalogue.view_stage"),
    "sertifikat": (Certificate, ("scan",), "catalogue.view_certificate"),
    "kurasi": (CurationScore, ("evidence",), "catalogue.view_curation"),
    "kandidat": (Candidate, tuple(f"{c}_evidence" for c in Criterion.values), "villages.view_candidate"),
}


@require_safe
@staff_member_required
def private_file(request: HttpRequest, path: str) -> FileResponse:
    folder = path.split("/", 1)[0]
    if folder not in OWNERS:
        raise Http404(_("Berkas tidak ditemukan."))
    model, fields, permission = OWNERS[folder]
    if not request.user.has_perm(permission):
        raise PermissionDenied(_("Anda tidak berhak membuka berkas ini."))
    # Only a name that a record points to: no path tricks, no orphaned files.
    owned = Q()
    for field in fields:
        owned |= Q(**{field: path})
    if not model.objects.filter(owned).exists() or not private_storage.exists(path):
        raise Http404(_("Berkas tidak ditemukan."))
    handle = private_storage.open(path, "rb")
    FileDownload.record(user=request.user, path=path)
    kind = documents.sniff(handle.read(16))
    handle.seek(0)
    response = FileResponse(
        handle,
        as_attachment=kind is None,
        filename=path.rsplit("/", 1)[-1],
        content_type=documents.CONTENT_TYPES.get(kind, "application/octet-stream"),
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; object-src 'none'; sandbox"
    return response
