"""Demo data for issue 16's selection and curation: candidates for the next cohort, and stars.

Candidates: eight villages proposed for the 2027 cohort in four regencies (their villages are in
fixtures/wilayah-ntt-demo.csv, real Kemendagri codes), scored on the five criteria so the list ranks
them within each regency; one is rejected, none accepted (accepting makes a producer and a draft
product, and the demo programme is the 44). Curations: "Bintang OVOP NTT" assessments of a few demo
products, so the product page shows stars with their date and `/produk/?bintang=3` finds some. The
legality criterion follows the product's certificates (issue 16, item 6: nothing claimed that the
pipeline does not show): full points only with a permit certificate, half with a Halal one only.

Both are loaded once: a candidate is keyed by village and year, and the curations are made only when
no demo curation exists yet, on products without one, so officers' work survives `make run` again.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from catalogue.backoffice import selection
from catalogue.models import CertificateKind, Product
from catalogue.models.curation import RUBRIC, Curation, CurationScore
from catalogue.models.curation import Criterion as Rubric
from villages.models import Candidate, Criterion

DEMO_NOTE = "Data demo"
COHORT_YEAR = 2027
PROPOSER = "Data demo: usulan kabupaten"

# (village code, commodity, scores in Criterion order, note on the mapping criterion, rejected)
CANDIDATES = (
    ("53.01.05.2004", "Rumput laut kering", (5, 4, 4, 3, 3), "Budidaya 30 ha di pesisir selatan.", False),
    ("53.01.05.2005", "Garam krosok", (4, 3, 3, 3, 2), "Tambak garam rakyat, panen musim kemarau.", False),
    ("53.01.05.2006", "Madu hutan", (3, 2, 2, 2, 1), "Lebah hutan liar, pasokan belum tetap.", False),
    ("53.02.12.2009", "Madu hutan Mutis", (5, 5, 4, 4, 3), "Hutan cagar alam Mutis, 120 pemanen.", False),
    ("53.02.12.2001", "Jeruk keprok SoE", (4, 3, 4, 3, 2), "Kebun jeruk warga 45 ha.", False),
    ("53.07.09.2002", "Kopi robusta Egon", (4, 4, 3, 3, 3), "Kebun kopi di lereng Egon.", False),
    ("53.07.09.2006", "Kakao", (2, 1, 2, 1, 1), "Kebun kakao tua, produksi menurun.", True),
    ("53.15.04.2014", "Kemiri", (3, 3, 3, 2, 2), "Kemiri dari hutan rakyat sekitar Danau Sano.", False),
)

# How many products get stars, and the points each criterion gets per profile (legality set apart).
CURATED_PRODUCTS = 6
PROFILES = (0.95, 0.8, 0.65, 0.9, 0.55, 0.75)


def seed_candidates() -> int:
    """The demo's candidates for the next cohort; how many were created."""
    created = 0
    for code, commodity, scores, note, rejected in CANDIDATES:
        candidate, was_created = Candidate.objects.get_or_create(
            village_id=code,
            cohort_year=COHORT_YEAR,
            defaults={
                "commodity": commodity,
                "proposed_by": PROPOSER,
                "pemetaan_note": note,
                **{f"{c}_score": s for c, s in zip(Criterion.values, scores, strict=True)},
            },
        )
        if was_created:
            created += 1
            if rejected:
                selection.reject(candidate=candidate, by=None)
    return created


def legality_points(product: Product) -> int:
    kinds = {certificate.kind for certificate in product.certificates.all()}
    maximum = RUBRIC[Rubric.LEGALITY].maximum
    if kinds & {CertificateKind.PIRT, CertificateKind.BPOM_MD}:
        return maximum
    return maximum // 2 if CertificateKind.HALAL in kinds else 0


def seed_curations(today: datetime.date | None = None) -> int:
    """Stars on a few demo products, certified ones first; how many assessments were made."""
    if Curation.objects.filter(note=DEMO_NOTE).exists():
        return 0  # loaded before: officers' own assessments since then stay as they are
    today = today or timezone.localdate()
    products = list(
        Product.objects.published()
        .filter(curations__isnull=True)
        .prefetch_related("certificates")
        .order_by("slug")
    )
    # Certified products first: the ones a shopper would expect to carry the most stars.
    products.sort(key=lambda product: legality_points(product) == 0)
    made = 0
    for index, product in enumerate(products[:CURATED_PRODUCTS]):
        profile = PROFILES[index % len(PROFILES)]
        curation = Curation.objects.create(
            product=product,
            assessed_on=today - datetime.timedelta(days=40 + 35 * index),
            note=DEMO_NOTE,
        )
        CurationScore.objects.bulk_create(
            CurationScore(
                curation=curation,
                criterion=criterion,
                points=legality_points(product)
                if criterion == Rubric.LEGALITY
                else round(spec.maximum * profile),
            )
            for criterion, spec in RUBRIC.items()
        )
        curation.recount()
        made += 1
    return made
