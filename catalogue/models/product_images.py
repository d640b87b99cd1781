"""A product's images, and the cover a card shows (catalogue/models/products.py reads them)."""

from __future__ import annotations

from typing import NamedTuple

from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext_lazy as _

from catalogue import images
from catalogue.caching import PublicQuerySet
from catalogue.fields import ReencodedImageField


class Cover(NamedTuple):
    """A card's first image as with_cover_fields() reads it: what the pages read of a ProductImage
    (its file, its alt text, its product), without building a model instance per card (a tenth of
    a millisecond a page of 24)."""

    image: FieldFile
    alt_text: str
    product: models.Model  # the Product (products.py imports this module, not the reverse)


class ProductImage(models.Model):
    product = models.ForeignKey(
        "catalogue.Product", on_delete=models.CASCADE, related_name="images", verbose_name=_("produk")
    )
    image = ReencodedImageField(
        _("gambar"), upload_to="produk/%Y/", validators=[images.validate_image_upload]
    )
    alt_text = models.CharField(_("teks alternatif"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    objects = PublicQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("gambar produk")
        verbose_name_plural = _("gambar produk")

    def __str__(self) -> str:
        return self.alt_text or self.image.name

    @property
    def alt(self) -> str:
        return self.alt_text or self.product.name
