"""ovop/wsgi.py: gunicorn's master warms what each worker would otherwise build on its first requests."""

from django.template import engines

from ovop.wsgi import warm_up


def test_warm_up_compiles_the_sites_templates_without_touching_the_database():
    """No django_db mark: a query or a connection here would fail the test."""
    (cached_loader,) = engines["django"].engine.template_loaders
    cached_loader.reset()  # as in a freshly started process
    warm_up()
    compiled = set(cached_loader.get_template_cache)
    assert {
        "_base.html",
        "home.html",
        "catalogue/product_detail.html",
        "villages/regency_detail.html",
    } <= compiled
