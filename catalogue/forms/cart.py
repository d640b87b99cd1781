"""Cart forms: which product, and how many (a whole number from 1 to the stock on hand).

Values are parsed by hand, not by IntegerField, so each wrong input gets its own plain message:
"2.5", "abc", "-1", "0" and "1000000000000" all say what is wrong and what is allowed.
"""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from catalogue.models import Product

_ID = re.compile(r"[0-9]{1,18}")
_SIGNED_INT = re.compile(r"[+-]?[0-9]{1,30}")

MSG_NO_PRODUCT = _("Pilih produk yang akan dibeli.")
MSG_UNKNOWN_PRODUCT = _("Produk ini tidak ditemukan atau tidak lagi dijual.")
MSG_NOT_WHOLE = _("Jumlah harus bilangan bulat, misalnya 1 atau 2.")
MSG_TOO_SMALL = _("Jumlah paling sedikit 1.")
MSG_NO_STOCK = _("Stok %(name)s habis.")
MSG_TOO_MANY = _("Jumlah paling banyak %(stock)d: stok %(name)s tinggal %(stock)d.")


def parse_product_id(raw: str) -> int | None:
    raw = (raw or "").strip()
    return int(raw) if _ID.fullmatch(raw) and int(raw) > 0 else None


class _CartLineForm(forms.Form):
    product = forms.CharField(max_length=40, error_messages={"required": MSG_NO_PRODUCT})
    quantity = forms.CharField(
        max_length=40,
        required=False,
        error_messages={"max_length": MSG_NOT_WHOLE},
    )

    default_quantity: int | None = None

    def clean_product(self) -> Product:
        product_id = parse_product_id(self.cleaned_data["product"])
        product = (
            Product.objects.published().select_related("producer").filter(pk=product_id).first()
            if product_id
            else None
        )
        if product is None:
            raise ValidationError(MSG_UNKNOWN_PRODUCT, code="unknown_product")
        return product

    def clean_quantity(self) -> int:
        raw = (self.cleaned_data.get("quantity") or "").strip()
        if not raw and self.default_quantity is not None:
            return self.default_quantity
        if not _SIGNED_INT.fullmatch(raw):
            raise ValidationError(MSG_NOT_WHOLE, code="not_whole")
        quantity = int(raw)
        if quantity < 1:
            raise ValidationError(MSG_TOO_SMALL, code="too_small")
        return quantity

    def clean(self) -> dict:
        cleaned = super().clean()
        product, quantity = cleaned.get("product"), cleaned.get("quantity")
        if product is not None and quantity is not None:
            if product.stock < 1:
                self.add_error("quantity", ValidationError(MSG_NO_STOCK % {"name": product.name}, "no_stock"))
            elif quantity > product.stock:
                self.add_error(
                    "quantity",
                    ValidationError(
                        MSG_TOO_MANY % {"name": product.name, "stock": product.stock}, "too_many"
                    ),
                )
        return cleaned

    @property
    def messages(self) -> list[str]:
        """Every error as one flat list, for a status line or the messages framework."""
        return [str(message) for errors in self.errors.values() for message in errors]


class AddToCartForm(_CartLineForm):
    """`product` (id) and `quantity` (1 when left out)."""

    default_quantity = 1


class UpdateCartForm(_CartLineForm):
    """`product` (id, already in the cart) and the new `quantity`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quantity"].required = True
        self.fields["quantity"].error_messages["required"] = MSG_NOT_WHOLE


class RemoveFromCartForm(forms.Form):
    """`product` (id): may be unpublished or deleted since it was added."""

    product = forms.CharField(max_length=40, error_messages={"required": MSG_NO_PRODUCT})

    def clean_product(self) -> int:
        product_id = parse_product_id(self.cleaned_data["product"])
        if product_id is None:
            raise ValidationError(MSG_UNKNOWN_PRODUCT, code="unknown_product")
        return product_id

    @property
    def messages(self) -> list[str]:
        return [str(message) for errors in self.errors.values() for message in errors]
