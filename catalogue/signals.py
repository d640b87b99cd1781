from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from villages.models import District, Province, Regency, Village

from . import caching
from .models import Category, Certificate, Curation, Producer, Product, ProductImage, Stage, StageKind


@receiver(post_save, sender=Product, dispatch_uid="catalogue.create_pipeline")
def create_pipeline(sender, instance: Product, created: bool, raw: bool = False, **kwargs) -> None:
    """A new product starts with every stage of the pipeline at `belum`."""
    if created and not raw:
        Stage.objects.bulk_create(
            [Stage(product=instance, kind=kind) for kind in StageKind.values], ignore_conflicts=True
        )


# --- what shoppers see changed: a new version of the public page fragments (catalogue/caching.py) ---

#: Everything a public page shows: products with their images and certificates (badges, the
#: certificate filter), producers, categories, and the places (names on cards, region listings,
#: village mapping). Writes that bypass these signals (stock taken or returned with UPDATE in
#: catalogue/services.py, certificate verification actions, the village import) bump themselves.
SHOWN_ON_PUBLIC_PAGES = (
    Product,
    ProductImage,
    Certificate,
    Curation,
    Producer,
    Category,
    Village,
    District,
    Regency,
    Province,
)


def public_data_changed(sender, **kwargs) -> None:
    caching.bump_on_change()


for _model in SHOWN_ON_PUBLIC_PAGES:
    post_save.connect(
        public_data_changed, sender=_model, dispatch_uid=f"catalogue.cache.save.{_model.__name__}"
    )
    post_delete.connect(
        public_data_changed, sender=_model, dispatch_uid=f"catalogue.cache.delete.{_model.__name__}"
    )


@receiver(m2m_changed, sender=Village.satellite_villages.through, dispatch_uid="catalogue.cache.satellites")
def satellites_changed(sender, action: str, **kwargs) -> None:
    """A village page lists its satellites and the loci it supplies."""
    if action in {"post_add", "post_remove", "post_clear"}:
        caching.bump_on_change()
