"""Accepting a candidate village into the next OVOP cohort (issue 16).

It lives here, not in villages: accepting writes catalogue models (producer, product, stages), and
villages never imports catalogue. `accept()` does it all in ONE transaction: the village becomes an
OVOP locus, a producer and a draft (unpublished) product are created, the product gets its 14
pipeline stages (catalogue/signals.py), and the candidate's five criterion notes go to the first five
stages, which are the same five criteria.

At most two candidates are accepted per regency and cohort year. The regency's row is locked first
(select_for_update), so two officers accepting at once are served one after the other; and the
database's unique `accepted_slot` per regency and year refuses a third in any case.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from catalogue.models import Category, Producer, Product, Stage
from villages.models import MAX_ACCEPTED_PER_REGENCY, Candidate, CandidateStatus, Criterion, Regency

DRAFT_PRICE = 1  # whole rupiah; the product is unpublished until officers set the real price


class SelectionRefused(Exception):
    """Nothing was written; the message says why, in Indonesian."""


@dataclass(frozen=True)
class Accepted:
    candidate: Candidate
    producer: Producer
    product: Product


def _unique_slug(model, base: str, limit: int) -> str:
    base = slugify(base)[: limit - 6] or "ovop"
    slug, n = base, 1
    while model.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def draft_category() -> Category:
    category, _created = Category.objects.get_or_create(
        slug="kandidat-ovop", defaults={"name": _("Kandidat OVOP (belum dikategorikan)"), "order": 99}
    )
    return category


def accept(*, candidate: Candidate | int, by) -> Accepted:
    """Accept the candidate: locus flags, producer, draft product with its 14 stages; all or nothing.
    Raises SelectionRefused when it is already decided or its regency has its two for that year."""
    candidate_id = candidate if isinstance(candidate, int) else candidate.pk
    try:
        with transaction.atomic():
            return _accept(candidate_id, by)
    except IntegrityError:
        # Another officer took the last slot between our count and our write (the unique slot).
        candidate = Candidate.objects.get(pk=candidate_id)
        accepted = Candidate.objects.accepted().filter(
            regency_id=candidate.regency_id, cohort_year=candidate.cohort_year
        )
        if accepted.count() >= MAX_ACCEPTED_PER_REGENCY:
            raise SelectionRefused(_full_message()) from None
        raise


def _full_message() -> str:
    return _("Kabupaten/kota ini sudah punya %(max)d kandidat diterima untuk tahun angkatan tersebut.") % {
        "max": MAX_ACCEPTED_PER_REGENCY
    }


def _accept(candidate_id: int, by) -> Accepted:
    regency_id = Candidate.objects.values_list("regency_id", flat=True).get(pk=candidate_id)
    Regency.objects.select_for_update().filter(pk=regency_id).first()  # one acceptance at a time per regency
    candidate = Candidate.objects.select_for_update().select_related("village").get(pk=candidate_id)
    if candidate.status != CandidateStatus.PROPOSED:
        raise SelectionRefused(
            _("Kandidat %(village)s sudah %(status)s.")
            % {"village": candidate.village.name, "status": candidate.get_status_display().lower()}
        )
    taken = set(
        Candidate.objects.accepted()
        .filter(regency_id=candidate.regency_id, cohort_year=candidate.cohort_year)
        .values_list("accepted_slot", flat=True)
    )
    free = [slot for slot in range(1, MAX_ACCEPTED_PER_REGENCY + 1) if slot not in taken]
    if not free:
        raise SelectionRefused(_full_message())

    village = candidate.village
    village.is_ovop_locus = True
    village.commodity = village.commodity or candidate.commodity
    village.save(update_fields=["is_ovop_locus", "commodity"])

    name = _("UMKM %(commodity)s %(village)s") % {"commodity": candidate.commodity, "village": village.name}
    producer = Producer.objects.create(
        name=name[:120], slug=_unique_slug(Producer, name, 140), village=village
    )
    product_name = f"{candidate.commodity} {village.name}"[:140]
    product = Product.objects.create(
        name=product_name,
        slug=_unique_slug(Product, product_name, 160),
        producer=producer,
        category=draft_category(),
        short_description=(
            _("Draf produk %(commodity)s dari %(village)s, angkatan OVOP %(year)d.")
            % {"commodity": candidate.commodity, "village": village.name, "year": candidate.cohort_year}
        )[:200],
        price=DRAFT_PRICE,
        unit=_("belum ditentukan"),
        stock=0,
        is_published=False,
        cohort_year=candidate.cohort_year,
    )
    for criterion in Criterion.values:  # the five criteria are the pipeline's first five stages
        if candidate.note(criterion):
            Stage.objects.filter(product=product, kind=criterion).update(note=candidate.note(criterion))

    candidate.status = CandidateStatus.ACCEPTED
    candidate.accepted_slot = free[0]
    candidate.decided_by = by.get_username() if by is not None else ""
    candidate.decided_at = timezone.now()
    candidate.save(update_fields=["status", "accepted_slot", "decided_by", "decided_at"])
    return Accepted(candidate, producer, product)


def reject(*, candidate: Candidate, by) -> bool:
    """Mark a proposed candidate rejected; False when it was already decided."""
    return bool(
        Candidate.objects.filter(pk=candidate.pk, status=CandidateStatus.PROPOSED).update(
            status=CandidateStatus.REJECTED,
            decided_by=by.get_username() if by is not None else "",
            decided_at=timezone.now(),
        )
    )
