"""What happens when catalogue data changes: a new product gets its pipeline, and whatever the public
pages show invalidates their fragment cache (catalogue/caching.py)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from villages.models import District, Province, Regency, Village
from villages.signals import regions_imported

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

#: Everything a public page shows: products with their images, certificates (badges, the certificate
#: filter) and stages (the About page's progress), producers, categories, and the places (names on
#: cards, region listings, village mapping and satellites). Each bumps on save, delete and
#: many-to-many change; the catalogue's own models also on their QuerySets' bulk writes
#: (caching.PublicQuerySet: stock taken or returned, certificate verification, stage moves).
SHOWN_ON_PUBLIC_PAGES = (
    Product,
    ProductImage,
    Certificate,
    Stage,
    Curation,
    Producer,
    Category,
    Village,
    District,
    Regency,
    Province,
)

caching.watch(*SHOWN_ON_PUBLIC_PAGES)


@receiver(regions_imported, dispatch_uid="catalogue.cache.regions_imported")
def regions_changed(sender, **kwargs) -> None:
    """The village import wrote places in bulk (no model signals): one new version of the pages."""
    caching.bump_on_change()
