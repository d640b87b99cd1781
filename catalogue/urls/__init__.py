"""The catalogue's URLs, one module per area so each stays small and owned."""

from catalogue.orders import urls as orders
from catalogue.producers import urls as producers

from . import campaign, dashboard, storefront

app_name = "catalogue"

urlpatterns = (
    storefront.urlpatterns
    + orders.urlpatterns
    + dashboard.urlpatterns
    + producers.urlpatterns
    + campaign.urlpatterns
)
