from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.db.models.fields.files import ImageFieldFile

from catalogue import identifiers, images


class WhatsAppField(models.CharField):
    """A mobile number typed any common way (`0812-…`, `628…`, `+62 812…`), stored as E.164 `+628…`.

    Normalising in to_python means model forms and the admin accept what people type, and
    the validator then reports anything that is still not a mobile number.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 16)
        super().__init__(*args, **kwargs)
        if identifiers.validate_whatsapp not in self.validators:
            self.validators.append(identifiers.validate_whatsapp)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("validators", None)
        return name, path, args, kwargs

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return value
        try:
            return identifiers.normalize_whatsapp(value)
        except ValidationError:
            return value


class StrippedTextField(models.TextField):
    """Text pasted from a phone or a PDF often carries a trailing newline; the validators should not
    see it (a QRIS payload with a newline is otherwise refused as malformed)."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.strip() if isinstance(value, str) else value


class ReencodedImageFieldFile(ImageFieldFile):
    def save(self, name, content, save=True):
        """Store a WebP re-encoded from `content` under a name the server chooses (`name` unused)."""
        super().save(images.server_name(), ContentFile(images.reencode(content)), save)


class ReencodedImageField(models.ImageField):
    """An image field that never stores the uploaded bytes: whatever saves a file into it (a form,
    the admin, the demo loader) stores `images.reencode(...)` under `images.server_name()`, so the
    file served is a clean WebP whatever the upload was called or carried."""

    attr_class = ReencodedImageFieldFile


class StoredGeneratedField(models.GeneratedField):
    """A GeneratedField stored by the database (`db_persist=True`), checked without a connection.

    Django's own check of a GeneratedField asks every configured database for its version (on
    PostgreSQL, to learn whether it has virtual columns), so `manage.py check --deploy` would fail
    wherever the database cannot be reached, as in a build step before deploying. Both engines this
    project runs on (SQLite 3.31+, PostgreSQL 12+) store generated columns; the checks that do not
    need a database still run.
    """

    def __init__(self, **kwargs):
        kwargs["db_persist"] = True
        super().__init__(**kwargs)

    def check(self, **kwargs):
        return super().check(**{**kwargs, "databases": []})
