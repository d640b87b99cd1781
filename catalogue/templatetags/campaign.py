from django import template

from catalogue.campaign import stats

register = template.Library()


@register.filter
def receipt_ready(part) -> bool:
    """Whether this order part's payment is confirmed, so its receipt (kuitansi) can be printed."""
    return stats.is_paid(part)
