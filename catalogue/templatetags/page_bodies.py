"""`{% load page_bodies %}`: the bodies of storefront pages rendered with Jinja2, shown inside their
Django templates' cached fragments, from the views' contexts."""

from django import template
from django.utils.safestring import SafeString

from catalogue import catalogue_page, product_page, regency_page
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


@register.simple_tag(takes_context=True)
def regency_body(context) -> SafeString:
    """`{% regency_body %}`: a regency page's body (catalogue/regency_page.py), from the view's
    context: regency and listing."""
    return regency_page.render(
        regency=context["regency"], listing=context["listing"], next_path=next_path(context)
    )


@register.simple_tag(takes_context=True)
def catalogue_form(context) -> SafeString:
    """`{% catalogue_form %}`: the catalogue's filter form (catalogue/catalogue_page.py)."""
    return catalogue_page.render_form(filters=context["filters"])


@register.simple_tag(takes_context=True)
def catalogue_results(context) -> SafeString:
    """`{% catalogue_results %}`: the catalogue's results (catalogue/catalogue_page.py), from the
    view's context: filters, page, featured, target and the pages' queries."""
    return catalogue_page.render_results(
        filters=context["filters"],
        page=context["page"],
        featured=context["featured"],
        path=context["request"].path,
        prev_query=context.get("prev_query", ""),
        next_query=context.get("next_query", ""),
        target=context.get("target", "hasil"),
        next_path=next_path(context),
    )
