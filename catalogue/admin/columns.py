"""Each list's columns per staff role (issue 16, item 3: "show a list per role"), one rule for all.

A staff user's role is the first of `ROLES` among their groups (catalogue migration
0002_staff_groups); a superuser counts as Admin PMD, and staff in none of the groups count as Mitra
(the reading role: nobody gets more columns by having no group). A ModelAdmin with `ColumnsPerRole`
names the columns of the roles that need another list in `list_display_per_role`; a role it does not
name gets `list_display`.

Every list, for every role, fits a 1366 px screen beside its filters (tests/browser/
test_admin_lists_fit.py); long texts wrap (static/css/admin-office.css).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.http import HttpRequest

ADMIN_PMD = "Admin PMD"
PENDAMPING = "Pendamping PMD"
MITRA = "Mitra"
ROLES = (ADMIN_PMD, PENDAMPING, MITRA)


def staff_role(request: HttpRequest) -> str:
    """The user's role for the lists (cached on the request): one of ROLES."""
    cached = getattr(request, "_staff_role", None)
    if cached is not None:
        return cached
    user = request.user
    if user.is_superuser:
        role = ADMIN_PMD
    else:
        groups = set(user.groups.filter(name__in=ROLES).values_list("name", flat=True))
        role = next((name for name in ROLES if name in groups), MITRA)
    request._staff_role = role
    return role


class ColumnsPerRole:
    """For a ModelAdmin: `list_display_per_role = {role: columns}`; other roles get `list_display`."""

    list_display_per_role: Mapping[str, Sequence[str]] = {}

    def get_list_display(self, request):
        columns = self.list_display_per_role.get(staff_role(request))
        return list(columns) if columns is not None else super().get_list_display(request)
