"""The catalogue's URLs, one module per area so each stays small and owned."""

from catalogue.orders import urls as orders

from . import dashboard, storefront

app_name = "catalogue"

urlpatterns = storefront.urlpatterns + orders.urlpatterns + dashboard.urlpatterns
