import contextlib
import gc
import logging
import os
from importlib import import_module
from pathlib import Path

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.db import connections
from django.template import TemplateDoesNotExist, TemplateSyntaxError, loader
from django.urls import NoReverseMatch, URLResolver, get_resolver, reverse
from django.utils import translation
from django.utils.module_loading import import_string

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ovop.settings")
application = get_wsgi_application()

logger = logging.getLogger("ovop.wsgi")


def warm_up() -> None:
    """Build once what every worker would otherwise build on its first requests (about a second of
    CPU each, and again whenever gunicorn recycles it): the cache and session modules (redis-py
    alone takes half a second to import), the translation catalogues of each language, the URL
    resolvers of each language prefix, and the compiled templates of the site. gunicorn calls
    this in its master before forking the workers (ovop/gunicorn.conf.py, preload_app), so they start
    with all of it. Opens no connection (database or Redis): the workers must not share one."""
    for cache in settings.CACHES.values():
        import_string(cache["BACKEND"])
    import_module(settings.SESSION_ENGINE)
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Beli Produk NTT")
            _build_reverse_lookups(get_resolver())
    for engine in settings.TEMPLATES:
        suffix = "*.jinja" if engine["BACKEND"].endswith("Jinja2") else "*.html"
        for folder in map(Path, engine.get("DIRS", [])):
            for path in sorted(folder.rglob(suffix)):
                try:
                    loader.get_template(str(path.relative_to(folder)))
                except (TemplateDoesNotExist, TemplateSyntaxError):
                    logger.warning("Template %s could not be compiled ahead.", path, exc_info=True)
    connections.close_all()


def freeze_heap() -> None:
    """Leave what the master has loaded (Django, the app, the warmed templates and URL resolvers:
    some 185,000 objects) out of the garbage collector's work in every worker it forks. Each full
    collection of a worker went through all of them again, about 0.1 ms a cold page, and wrote to
    the pages of memory that hold them, which the workers otherwise share with the master
    (copy-on-write). Python's own advice for a server that forks: gc.freeze() just before fork()
    (https://docs.python.org/3/library/gc.html#gc.freeze). The objects a request makes are
    collected as before; only these, which live as long as the server, are left alone."""
    gc.collect()
    gc.freeze()


def _build_reverse_lookups(resolver: URLResolver, namespace: str = "") -> None:
    """Each resolver builds its lookup for `{% url %}` on first use, and so does each namespace's
    (django.urls.resolvers.get_ns_resolver): reversing one name of every namespace builds them."""
    resolver.reverse_dict  # noqa: B018  (a cached property, per active language)
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver) and not pattern.namespace:
            _build_reverse_lookups(pattern, namespace)
    for name, (_prefix, included) in resolver.namespace_dict.items():
        names = [key for key in included.reverse_dict if isinstance(key, str)]
        if names:
            with contextlib.suppress(NoReverseMatch):  # built before the arguments are matched
                reverse(f"{namespace}{name}:{names[0]}")
        _build_reverse_lookups(included, f"{namespace}{name}:")
