"""The floor of tests/bench/bench_requests.py: a bare Django view, no middleware, no database.

    gunicorn --pythonpath tests/bench floor:application

Served by the same gunicorn (same workers, same config) as the shop, it shows what Django and gunicorn
cost by themselves; every page of the shop is measured against it.
"""

import secrets

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

settings.configure(
    DEBUG=False,
    SECRET_KEY=secrets.token_urlsafe(50),
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
    USE_I18N=False,
)


def hello(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("", hello)]

application = get_wsgi_application()
