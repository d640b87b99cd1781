"""Template tags of the back office's admin pages."""

from __future__ import annotations

from django import template

from catalogue.backoffice import today

register = template.Library()


@register.simple_tag(takes_context=True)
def officers_today(context) -> today.Today:
    """The "hari ini" panel for the signed-in officer (only what their permissions let them open)."""
    return today.for_user(context["request"].user)
