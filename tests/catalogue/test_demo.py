import pytest
from django.contrib.auth import get_user_model
from django.db.models import Count, F
from django.template.defaultfilters import linebreaks_filter

from catalogue import qris
from catalogue.demo import load_demo
from catalogue.models import Category, Producer, Product
from villages.models import Regency, Village

pytestmark = pytest.mark.django_db


def test_loading_the_demo_twice_gives_the_44_products_once(settings):
    settings.DEBUG = True
    load_demo(with_images=False)
    load_demo(with_images=False)
    assert Regency.objects.count() == 22
    assert Village.objects.loci().count() == 44
    assert Producer.objects.count() == 44
    assert Product.objects.count() == 44
    per_regency = (
        Product.objects.values("producer__village__district__regency")
        .annotate(n=Count("pk"))
        .values_list("n", flat=True)
    )
    assert sorted(set(per_regency)) == [2]


def test_every_demo_producer_has_a_static_qris_whose_crc_verifies(settings):
    load_demo(with_images=False)
    payloads = list(Producer.objects.values_list("qris_payload", flat=True))
    assert len(payloads) == 44
    for payload in payloads:
        qris.validate_static(payload)


def test_reloading_the_demo_keeps_stock_that_was_sold(settings):
    load_demo(with_images=False)
    product = Product.objects.order_by("pk").first()
    Product.objects.filter(pk=product.pk).update(stock=1)
    load_demo(with_images=False)
    product.refresh_from_db()
    assert product.stock == 1


def test_demo_images_are_drawn_once(settings):
    load_demo(with_images=True)
    load_demo(with_images=True)
    image_counts = [product.images.count() for product in Product.objects.all()]
    assert image_counts == [1] * 44


def test_demo_accounts_exist_only_when_debug_is_on(settings):
    settings.DEBUG = False
    load_demo(with_images=False)
    assert not get_user_model().objects.filter(username__in=["pmd-admin", "pendamping", "mitra"]).exists()
    settings.DEBUG = True
    load_demo(with_images=False)
    users = {u.username: u for u in get_user_model().objects.prefetch_related("groups")}
    assert users["pmd-admin"].is_superuser
    assert users["pmd-admin"].check_password("demo-ovop-ntt")
    assert {g.name for g in users["pendamping"].groups.all()} == {"Pendamping PMD"}
    assert {g.name for g in users["mitra"].groups.all()} == {"Mitra"}
    assert not users["mitra"].is_superuser


def test_demo_programme_shows_progress_and_public_certificates():
    from catalogue.models import Certificate, Stage, StageStatus

    load_demo(with_images=False)
    assert Stage.objects.filter(status=StageStatus.DONE).exists()
    assert Stage.objects.filter(status=StageStatus.NOT_STARTED).exists()
    moved = Stage.objects.exclude(status=StageStatus.NOT_STARTED)
    assert not moved.filter(changes__isnull=True).exists()  # each seeded status has its history row
    assert Product.objects.published().certified("halal").exists()
    assert Product.objects.published().certified("pirt").exists()
    assert not Product.objects.filter(category__slug="tenun-ikat", certificates__isnull=False).exists()
    assert Certificate.objects.expiring_within(90).count() == 1
    certificates = list(Certificate.objects.all())
    assert certificates
    for certificate in certificates:
        certificate.full_clean()


def test_reloading_the_demo_keeps_officers_pipeline_work():
    from catalogue.models import Stage, StageChange, StageKind, StageStatus

    load_demo(with_images=False)
    product = Product.objects.filter(certificates__isnull=False).order_by("slug").first()
    assert product is not None, "the demo seeds certificates where their stage is done"
    stage = Stage.objects.get(product=product, kind=StageKind.MARKETING)
    stage.change_status(to=StageStatus.SUBMITTED, by=None, note="Diajukan ke marketplace")
    certificates = list(product.certificates.values_list("number", flat=True))
    load_demo(with_images=False)
    stage.refresh_from_db()
    assert stage.status == StageStatus.SUBMITTED
    assert StageChange.objects.filter(stage=stage).exclude(note="Data demo").count() == 1
    assert list(product.certificates.values_list("number", flat=True)) == certificates


def test_every_demo_producer_gets_a_producer_user_without_password_or_staff(settings):
    from catalogue.models import ProducerMember

    load_demo(with_images=False)
    load_demo(with_images=False)
    members = ProducerMember.objects.select_related("user", "producer")
    assert members.count() == Producer.objects.count() == 44
    for member in members:
        assert member.contact == member.producer.whatsapp
        assert not member.user.is_staff and not member.user.has_usable_password()


def test_demo_certificates_follow_their_done_stages():
    from catalogue.models import Certificate, CertificateKind, Stage, StageKind, StageStatus

    load_demo(with_images=False)
    done = set(Stage.objects.filter(status=StageStatus.DONE).values_list("product_id", "kind"))
    for product_id, kind in Certificate.objects.values_list("product_id", "kind"):
        stage = StageKind.HALAL if kind == CertificateKind.HALAL else StageKind.PERMIT
        assert (product_id, stage) in done, f"a {kind} badge on product {product_id} whose stage is open"
    assert Product.objects.published().certified("bpom").count() >= 2


def test_the_demo_qris_stage_follows_the_producers_with_a_valid_qris():
    from catalogue.models import Stage, StageKind, StageStatus

    load_demo(with_images=False)
    for stage in Stage.objects.filter(kind=StageKind.QRIS).select_related("product__producer"):
        payload = stage.product.producer.qris_payload
        qris.validate_static(payload)
        assert stage.status == StageStatus.DONE


def test_demo_district_names_have_no_doubled_quotes():
    from villages.models import District

    load_demo(with_images=False)
    assert District.objects.get(code="53.02.10").name == "KI'E"
    assert not District.objects.filter(name__contains="''").exists()


def test_the_demo_proposes_ranked_candidates_for_the_next_cohort_none_beyond_two_accepted_per_regency():
    from villages.models import Candidate, CandidateStatus

    load_demo(with_images=False)
    load_demo(with_images=False)
    ranked = list(Candidate.objects.ranked())
    assert len(ranked) == 8
    assert {candidate.village.is_ovop_locus for candidate in ranked} == {False}
    assert max(candidate.rank for candidate in ranked) >= 2  # several in one regency, in order
    assert Candidate.objects.filter(status=CandidateStatus.REJECTED).count() == 1
    accepted = Candidate.objects.accepted().values("regency").annotate(n=Count("pk"))
    assert all(row["n"] <= 2 for row in accepted)


def test_the_demo_gives_stars_that_the_catalogue_filter_and_product_page_show(client):
    from catalogue.models import CertificateKind, Curation

    load_demo(with_images=False)
    load_demo(with_images=False)
    curations = list(Curation.objects.select_related("product").prefetch_related("product__certificates"))
    assert len(curations) == 6
    for curation in curations:
        legality = curation.scores.get(criterion="legalitas").points
        kinds = {c.kind for c in curation.product.certificates.all()}
        assert legality == 0 or kinds, "legality points only for a product with a certificate"
        assert legality < 10 or kinds & {CertificateKind.PIRT, CertificateKind.BPOM_MD}
    starred = Product.objects.filter(curations__stars__gte=3).order_by("slug").first()
    listing = client.get("/produk/?bintang=3").content.decode()
    assert starred.name in listing
    page = client.get(starred.get_absolute_url()).content.decode()
    assert "Bintang OVOP NTT" in page
    assert "dinilai " in page


def test_every_demo_product_and_producer_has_an_english_story():
    load_demo(with_images=False)
    assert Product.objects.count() == Producer.objects.count() == 44
    assert not Product.objects.filter(story_en="").exists()
    assert not Producer.objects.filter(story_en="").exists()
    # A translation, not a copy of the Indonesian text.
    assert not Product.objects.filter(story_en=F("story")).exists()
    assert not Producer.objects.filter(story_en=F("story")).exists()


def test_reloading_the_demo_fills_english_stories_of_rows_loaded_before_them():
    load_demo(with_images=False)
    Product.objects.update(story_en="")
    Producer.objects.update(story_en="")
    load_demo(with_images=False)
    assert not Product.objects.filter(story_en="").exists()
    assert not Producer.objects.filter(story_en="").exists()


def _story_section(html: str) -> str:
    return html.split('<section class="story">', 1)[1].split("</section>", 1)[0]


def test_english_demo_pages_tell_the_story_in_english_without_an_indonesian_fallback(client):
    load_demo(with_images=False)
    product = Product.objects.select_related("producer").get(slug="kopi-arabika-detusoko")
    for url, story_en, story in (
        (f"/en/produk/{product.slug}/", product.story_en, product.story),
        (f"/en/umkm/{product.producer.slug}/", product.producer.story_en, product.producer.story),
    ):
        section = _story_section(client.get(url).content.decode())
        assert linebreaks_filter(story_en) in section, url
        assert story not in section and 'lang="id"' not in section, url


def test_a_demo_product_whose_english_story_was_cleared_falls_back_to_indonesian_marked_lang_id(client):
    load_demo(with_images=False)
    product = Product.objects.get(slug="kopi-arabika-detusoko")
    product.story_en = ""
    product.save()
    section = _story_section(client.get(f"/en/produk/{product.slug}/").content.decode())
    assert f'<div lang="id">{linebreaks_filter(product.story)}</div>' in section


def test_english_demo_catalogue_describes_the_chosen_category_in_english(client):
    load_demo(with_images=False)
    category = Category.objects.get(slug="madu")
    html = client.get("/en/produk/", {"kategori": category.slug}).content.decode()
    assert f'<div class="category-description">{linebreaks_filter(category.description_en)}</div>' in html
    assert category.description not in html
    indonesian = client.get("/produk/", {"kategori": category.slug}).content.decode()
    assert f'<div class="category-description">{linebreaks_filter(category.description)}</div>' in indonesian
