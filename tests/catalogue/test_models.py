import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from PIL import Image

from catalogue.images import validate_image_upload
from catalogue.models import Product, Stage, StageKind, StageStatus
from tests import factories

pytestmark = pytest.mark.django_db


def test_stock_cannot_go_below_zero_in_the_database():
    product = factories.product(stock=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Product.objects.filter(pk=product.pk).update(stock=-1)
    product.refresh_from_db()
    assert product.stock == 1


def test_price_must_be_positive_in_the_database():
    product = factories.product()
    with pytest.raises(IntegrityError), transaction.atomic():
        Product.objects.filter(pk=product.pk).update(price=0)


def test_producer_whatsapp_typed_locally_is_stored_as_e164():
    producer = factories.producer(whatsapp="0812-3456-7890")
    producer.full_clean()
    assert producer.whatsapp == "+6281234567890"


def test_producer_with_a_landline_number_gets_a_clear_message():
    producer = factories.producer(whatsapp="0380-821234")
    with pytest.raises(ValidationError) as error:
        producer.full_clean()
    assert "WhatsApp" in " ".join(error.value.message_dict["whatsapp"])


def test_producer_nib_must_have_13_digits():
    producer = factories.producer(nib="12345")
    with pytest.raises(ValidationError) as error:
        producer.full_clean()
    assert "nib" in error.value.message_dict


def test_producer_with_a_broken_qris_is_refused():
    producer = factories.producer(qris_payload=factories.STATIC_QRIS[:-1] + "0")
    with pytest.raises(ValidationError) as error:
        producer.full_clean()
    assert "qris_payload" in error.value.message_dict


def test_product_gtin_check_digit_is_verified():
    product = factories.product(gtin="8991002101235")
    with pytest.raises(ValidationError) as error:
        product.full_clean()
    assert "gtin" in error.value.message_dict
    product.gtin = "8991002101234"
    product.full_clean()


def test_a_new_product_starts_with_every_stage_not_started():
    product = factories.product()
    stages = Stage.objects.filter(product=product).in_programme_order()
    assert [stage.kind for stage in stages] == StageKind.values
    assert {stage.status for stage in stages} == {StageStatus.NOT_STARTED}


def test_published_in_regency_reads_like_a_sentence():
    kupang = factories.regency("53.01", "Kabupaten Kupang")
    tts = factories.regency("53.02", "Kabupaten Timor Tengah Selatan")
    here = factories.product(producer_=factories.producer(village_=factories.village("53.01.04.2003")))
    factories.product(producer_=factories.producer(village_=factories.village("53.02.12.2004")))
    factories.product(is_published=False, producer_=here.producer)
    assert list(Product.objects.published().in_regency(kupang)) == [here]
    assert Product.objects.published().in_regency(tts).count() == 1


def _image_bytes(fmt: str, size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "#884422").save(buffer, fmt)
    return buffer.getvalue()


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_real_images_are_accepted(fmt):
    validate_image_upload(SimpleUploadedFile(f"a.{fmt.lower()}", _image_bytes(fmt)))


def test_a_pdf_renamed_jpg_is_refused():
    upload = SimpleUploadedFile("foto.jpg", b"%PDF-1.4\n1 0 obj<</JavaScript (app.alert(1))>>endobj\n")
    with pytest.raises(ValidationError) as error:
        validate_image_upload(upload)
    assert error.value.code == "image_invalid"


def test_a_gif_is_refused_with_the_allowed_formats():
    with pytest.raises(ValidationError) as error:
        validate_image_upload(SimpleUploadedFile("a.gif", _image_bytes("GIF")))
    assert error.value.code == "image_format"
    assert "JPEG" in error.value.messages[0]


def test_an_oversized_file_is_refused_before_decoding():
    upload = SimpleUploadedFile("big.jpg", b"\xff" * (8 * 1024 * 1024 + 1))
    with pytest.raises(ValidationError) as error:
        validate_image_upload(upload)
    assert error.value.code == "image_too_large"


def test_an_image_over_40_megapixels_is_refused():
    buffer = io.BytesIO()
    Image.new("1", (8000, 6000)).save(buffer, "PNG")  # 48 MP, a few KB compressed
    with pytest.raises(ValidationError) as error:
        validate_image_upload(SimpleUploadedFile("huge.png", buffer.getvalue()))
    assert error.value.code == "image_too_many_pixels"
    assert "8000×6000" in error.value.messages[0]


def test_cards_are_one_page_of_the_filtered_order_with_everything_a_card_shows(
    django_assert_num_queries,
):
    village = factories.village("53.09.01.2005", "Beiposo")
    producer = factories.producer("Kelompok Tani Beiposo", village_=village)
    names = [f"Kopi {letter}" for letter in "EDCBAGF"]
    for name in names:
        factories.product(name, producer_=producer)
    factories.product("Kopi H", producer_=producer, is_published=False)
    ordered = Product.objects.published().order_by("name")
    with django_assert_num_queries(2):  # the page's ids, then the cards with place, cover, certificates
        cards = ordered.cards(2, 5)
        assert [card.name for card in cards] == ["Kopi C", "Kopi D", "Kopi E"]
        assert {(card.village_name, card.regency_name) for card in cards} == {
            ("Beiposo", village.district.regency.name)
        }
        assert all(card.certificate_badges == [] and card.cover is None for card in cards)


def test_a_cards_cover_is_its_first_image_with_its_alt_text_read_in_the_same_query(
    django_assert_num_queries,
):
    product = factories.product("Kopi Arabika Bajawa")
    first = factories.product_image(product, alt_text="Biji kopi sangrai", order=0)
    factories.product_image(product, alt_text="Kemasan", order=1)
    bare = factories.product("Teh Kelor")
    with django_assert_num_queries(2):
        covers = {card.name: card.cover for card in Product.objects.published().order_by("name").cards()}
    cover = covers["Kopi Arabika Bajawa"]
    assert (cover.image.name, cover.alt_text, cover.product.pk) == (
        first.image.name,
        "Biji kopi sangrai",
        product.pk,
    )
    assert cover.image.url == first.image.url
    assert covers[bare.name] is None


def test_the_next_page_of_cards_reuses_the_compiled_query_with_its_own_products():
    for name in ("Kopi A", "Kopi B", "Kopi C", "Kopi D"):
        factories.product(name)
    ordered = Product.objects.published().order_by("name")
    assert [card.name for card in ordered.cards(0, 2)] == ["Kopi A", "Kopi B"]
    assert [card.name for card in ordered.cards(2, 4)] == ["Kopi C", "Kopi D"]
    assert [card.name for card in ordered.cards(3, 4)] == ["Kopi D"]
    assert ordered.cards(4, 8) == []


def test_nearby_are_other_published_products_of_the_regency_featured_first(django_assert_num_queries):
    here = factories.producer("Kelompok Tenun Bokonusan", village_=factories.village("53.01.04.2003"))
    neighbour = factories.producer("UMKM Semau", village_=factories.village("53.01.04.2004", "Uitiuhtuan"))
    elsewhere = factories.producer("UMKM Bajawa", village_=factories.village("53.09.01.2005", "Beiposo"))
    product = factories.product("Tenun Ikat Semau", producer_=here)
    factories.product("Madu Hutan", producer_=neighbour)
    factories.product("Garam Laut", producer_=neighbour, is_featured=True)
    factories.product("Kopi Semau", producer_=here)
    factories.product("Kain Belum Tayang", producer_=here, is_published=False)
    factories.product("Kopi Bajawa", producer_=elsewhere)
    assert [card.name for card in product.nearby(4)] == ["Garam Laut", "Kopi Semau", "Madu Hutan"]
    assert [card.name for card in product.nearby(2)] == ["Garam Laut", "Kopi Semau"]
    with django_assert_num_queries(1):  # the cards, with their places and covers, in one query
        first = product.nearby(4)[0]
        assert (first.village_name, first.cover, first.certificate_badges) == ("Uitiuhtuan", None, [])
    other = Product.objects.get(name="Kopi Bajawa")
    assert other.nearby(4) == []


def test_a_gallery_is_the_images_in_their_order_each_knowing_its_product(django_assert_num_queries):
    product = factories.product("Tenun Ikat Semau")
    second = factories.product_image(product, alt_text="Motif", order=2)
    first = factories.product_image(product, order=1)
    factories.product_image(factories.product("Kopi"), order=0)
    with django_assert_num_queries(1):
        gallery = product.gallery()
        assert [image.pk for image in gallery] == [first.pk, second.pk]
        assert all(image.product is product for image in gallery)
