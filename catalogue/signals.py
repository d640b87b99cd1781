from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import Product, Stage, StageKind


@receiver(post_save, sender=Product, dispatch_uid="catalogue.create_pipeline")
def create_pipeline(sender, instance: Product, created: bool, raw: bool = False, **kwargs) -> None:
    """A new product starts with every stage of the pipeline at `belum`."""
    if created and not raw:
        Stage.objects.bulk_create(
            [Stage(product=instance, kind=kind) for kind in StageKind.values], ignore_conflicts=True
        )
