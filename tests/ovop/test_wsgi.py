"""ovop/wsgi.py: gunicorn's master warms what each worker would otherwise build on its first requests."""

import gc
import runpy
from pathlib import Path

from django.template import engines

from ovop import wsgi
from ovop.wsgi import freeze_heap, warm_up


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


def test_freeze_heap_leaves_the_loaded_code_out_of_the_workers_collections():
    survivor = [["made before the fork"]]  # a container of containers: the collector tracks it
    assert gc.is_tracked(survivor)
    try:
        freeze_heap()
        assert gc.get_freeze_count() > 0
        assert not any(found is survivor for found in gc.get_objects())
        made_after = [["made in a worker"]]
        assert any(found is made_after for found in gc.get_objects())  # still collected as before
    finally:
        gc.unfreeze()


def test_gunicorn_freezes_the_heap_in_the_master_after_warming_it(monkeypatch):
    """ovop/gunicorn.conf.py: the workers fork after when_ready(), so what it freezes stays frozen
    in each of them; warm_up() first, so that what it builds is frozen too."""
    calls = []
    monkeypatch.setattr(wsgi, "warm_up", lambda: calls.append("warm_up"))
    monkeypatch.setattr(wsgi, "freeze_heap", lambda: calls.append("freeze_heap"))
    config = runpy.run_path(str(Path(wsgi.__file__).with_name("gunicorn.conf.py")))
    assert config["preload_app"] is True
    config["when_ready"](server=None)
    assert calls == ["warm_up", "freeze_heap"]
