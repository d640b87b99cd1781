"""Private files (evidence, certificate scans): outside MEDIA_ROOT, streamed only by the staff view
`catalogue:private_file`, which checks the reader's permission for the record the file belongs to.
Both apps store such files (villages may not import catalogue), hence here in the project package."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.urls import reverse
from django.utils.deconstruct import deconstructible


@deconstructible
class PrivateStorage(FileSystemStorage):
    """No web server serves PRIVATE_MEDIA_ROOT; the folder is read from settings at each use."""

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None

    def url(self, name: str | None) -> str:
        """Not a public address: the staff-only view that checks permissions and streams the file."""
        return reverse("catalogue:private_file", kwargs={"path": name})
