from django import template
from django.utils.safestring import SafeString

from catalogue import product_page
from catalogue.templatetags.product_grid import next_path

register = template.Library()


@register.simple_tag(takes_context=True)
def product_body(context) -> SafeString:
    """`{% product_body %}`: the product page's body (catalogue/product_page.py), from the view's
    context: product, gallery, nearby and whatsapp_link."""
    return product_page.render(
        product=context["product"],
        gallery=context["gallery"],
        nearby=context["nearby"],
        whatsapp_link=context["whatsapp_link"],
        next_path=next_path(context),
    )
