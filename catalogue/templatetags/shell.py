"""`{% load shell %}`: the parts of the site's shell that are the same for every visitor.

    {% per_language %}<a href="{% url 'home' %}">{% translate "Beli Produk NTT" %}</a>{% endper_language %}

The enclosed markup is rendered once per process, language and script prefix, then reused (issue
17). The header, footer and `<head>` links of every page are written with some twenty `{% translate %}`,
`{% url %}` and `{% static %}` tags whose output depends on nothing else: together about a quarter of
a millisecond of every page that is not kept whole, for the same bytes each time.

Safe by construction: the markup is rendered with none of the page's variables (no request, user,
nonce, cart or message), so a variable put inside by mistake renders empty for everyone rather than
one visitor's value for all. What may be inside: text, `{% translate %}`, `{% url %}` without
variable arguments, `{% static %}`, includes of such markup. A change of settings (tests' override)
forgets what was rendered.
"""

from __future__ import annotations

import weakref

from django import template
from django.core.signals import setting_changed
from django.template.base import NodeList, Parser, Token
from django.template.context import Context
from django.urls import get_script_prefix
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from catalogue import addresses

register = template.Library()

#: Every node that keeps markup, to forget it when settings change.
_nodes: weakref.WeakSet[PerLanguageNode] = weakref.WeakSet()


class PerLanguageNode(template.Node):
    def __init__(self, nodelist: NodeList) -> None:
        self.nodelist = nodelist
        self.rendered: dict[tuple[str, str], SafeString] = {}
        _nodes.add(self)

    def render(self, context: Context) -> SafeString:
        key = (get_language() or "", get_script_prefix())
        found = self.rendered.get(key)
        if found is None:
            # context.new(): the same engine and template (for includes), none of the variables.
            found = self.rendered[key] = self.nodelist.render(context.new())
        return found


@register.tag("per_language")
def per_language(parser: Parser, token: Token) -> PerLanguageNode:
    if len(token.split_contents()) != 1:
        raise template.TemplateSyntaxError("{% per_language %} takes no arguments.")
    nodelist = parser.parse(("endper_language",))
    parser.delete_first_token()
    return PerLanguageNode(nodelist)


@register.simple_tag
def address(name: str) -> str:
    """`{% address 'catalogue:cart' %}`: `{% url %}` of an address without arguments, looked up once
    per language (catalogue/addresses.py), for the parts of the shell that sit outside
    `{% per_language %}` because they hold a visitor's value (the cart badge, the language forms)."""
    return addresses.fixed(name)


def forget(**kwargs) -> None:
    for node in list(_nodes):
        node.rendered.clear()


setting_changed.connect(forget, dispatch_uid="catalogue.templatetags.shell.forget")
