"""Static files in production: whitenoise's compressed, hashed-name storage, with its addresses kept.

The manifest (original name → hashed name) is read once per process and never changes while the
process runs, yet every `{% static %}` looks the name up, cleans it and joins it to STATIC_URL again:
about seven times for every page. The address of each name is therefore remembered after its first
use (a few dozen names: the static files referenced by templates).
"""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._addresses: dict[tuple[str, bool], str] = {}

    def url(self, name: str | None, force: bool = False) -> str:
        key = (name or "", force)
        address = self._addresses.get(key)
        if address is None:
            # Unknown names raise ValueError (manifest_strict) and are not remembered.
            address = self._addresses[key] = super().url(name, force)
        return address
