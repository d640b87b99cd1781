"""Signals villages sends for apps that build on the region tree (villages imports none of them)."""

from django.dispatch import Signal

#: Sent (with `report`, the ImportReport) after an import wrote to the region tree or the PMD mapping
#: in bulk, which sends no model signals: whoever caches pages that show places listens to it.
regions_imported = Signal()
