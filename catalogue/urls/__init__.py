"""The catalogue's URLs, one module per area so each stays small and owned."""

from catalogue.producers import urls as producers

from . import dashboard, orders, storefront

app_name = "catalogue"

urlpatterns = storefront.urlpatterns + orders.urlpatterns + dashboard.urlpatterns + producers.urlpatterns
