"""`{% load public_cache %}`: Django's `{% cache %}` tag, same syntax, for the public pages' fragments.

While the fragment cache is off (PUBLIC_FRAGMENT_CACHE_SECONDS=0, catalogue/caching.py) it renders the
fragment without touching the cache: Django's own tag would still read every fragment, and then delete
it again (a timeout of 0), two cache round trips per fragment for nothing, and read the catalogue's
version for the key.
"""

from __future__ import annotations

from django import template
from django.template.base import Parser, Token
from django.template.context import Context
from django.templatetags.cache import CacheNode, do_cache

from catalogue import caching

register = template.Library()


class PublicCacheNode(CacheNode):
    def render(self, context: Context) -> str:
        if not caching.enabled():
            return self.nodelist.render(context)
        return super().render(context)


@register.tag("cache")
def public_cache(parser: Parser, token: Token) -> PublicCacheNode:
    node = do_cache(parser, token)
    return PublicCacheNode(
        node.nodelist, node.expire_time_var, node.fragment_name, node.vary_on, node.cache_name
    )
