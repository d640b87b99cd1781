from django import template

from catalogue.money import format_rupiah

register = template.Library()


@register.filter(name="rupiah")
def rupiah(amount: int | None) -> str:
    """`{{ product.price|rupiah }}` → `Rp25.000` in every language."""
    return format_rupiah(amount)
