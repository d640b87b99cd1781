"""The project's URLs plus one view that fails, to see the 500 page through the whole stack."""

from django.urls import path

from ovop.urls import handler404, handler500  # noqa: F401
from ovop.urls import urlpatterns as project_urlpatterns


def failing_view(request):
    raise RuntimeError("a bug")


urlpatterns = [path("gagal/", failing_view), *project_urlpatterns]
