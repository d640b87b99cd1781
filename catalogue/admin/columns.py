"""Each list's columns per staff role (issue 16, item 3: "show a list per role"), one rule for all.

A staff user's role is the first of `ROLES` among their groups (catalogue migration
0002_staff_groups); a superuser counts as Admin PMD. A ModelAdmin with `ColumnsPerRole` names the
columns of the roles that need another list in `list_display_per_role`; a role it does not name
gets `list_display`. Staff in none of the groups get the list of the last role named (the most
restricted: partners read, they do not work the list), never more than a named role sees.

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


def staff_role(request: HttpRequest) -> str | None:
    """The user's role for the lists (cached on the request): a group of ROLES, or None."""
    cached = getattr(request, "_staff_role", False)
    if cached is not False:
        return cached
    user = request.user
    if user.is_superuser:
        role = ADMIN_PMD
    else:
        groups = set(user.groups.filter(name__in=ROLES).values_list("name", flat=True))
        role = next((name for name in ROLES if name in groups), None)
    request._staff_role = role
    return role


class ColumnsPerRole:
    """For a ModelAdmin: `list_display_per_role = {role: columns}`; other roles get `list_display`."""

    list_display_per_role: Mapping[str, Sequence[str]] = {}

    def get_list_display(self, request):
        role = staff_role(request)
        if role is None and self.list_display_per_role:
            role = [name for name in ROLES if name in self.list_display_per_role][-1]
        columns = self.list_display_per_role.get(role) if role else None
        return list(columns) if columns is not None else super().get_list_display(request)
