"""The catalogue's URLs, one module per area so each stays small and owned."""

from . import campaign, dashboard, orders, storefront

app_name = "catalogue"

urlpatterns = storefront.urlpatterns + orders.urlpatterns + dashboard.urlpatterns + campaign.urlpatterns
