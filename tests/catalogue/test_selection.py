"""Selecting the next cohort: candidates scored on five criteria, weighted and ranked per regency, at
most two accepted per regency and year (also under concurrency), accepting writing locus, producer
and draft product with its 14 stages in one transaction, roles, and the strict CSV import."""

from __future__ import annotations

import pytest
from django.contrib.admin import helpers
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from catalogue.backoffice import selection
from catalogue.models import Producer, Product, Stage, StageKind
from tests import factories
from tests.catalogue import backoffice
from tests.catalogue.backoffice import ADMIN_PMD, MITRA, PENDAMPING
from villages.models import Candidate, CandidateStatus, SelectionWeights, Village

from ._concurrency import file_database, run_concurrently

pytestmark = pytest.mark.django_db

CANDIDATES = reverse("admin:villages_candidate_changelist")


def client_for(group: str) -> Client:
    client = Client()
    client.force_login(backoffice.staff(group))
    return client


def test_the_weighted_score_follows_the_weights_and_ranks_within_each_regency():
    strong_on_buyers = factories.candidate(scores=(1, 1, 5, 5, 1))
    strong_on_mapping = factories.candidate(scores=(5, 5, 1, 1, 3))
    elsewhere = factories.candidate(factories.village("53.02.10.2001", "Nunle'u"), scores=(1, 1, 1, 1, 1))
    weights = SelectionWeights.current()
    ranked = {c.pk: (round(c.weighted_score, 2), c.rank) for c in Candidate.objects.ranked()}
    assert ranked[strong_on_mapping.pk] == (3.0, 1)  # (5*25 + 5*15 + 1*20 + 1*20 + 3*20) / 100
    assert ranked[strong_on_buyers.pk] == (2.6, 2)
    assert ranked[elsewhere.pk] == (1.0, 1)  # first in its own regency
    weights.pemetaan, weights.desa_satelit, weights.pembeli, weights.distribusi = 0, 0, 50, 50
    weights.save()
    ranked = {c.pk: c.rank for c in Candidate.objects.ranked()}
    assert ranked[strong_on_buyers.pk] == 1


def test_accepting_writes_locus_producer_and_draft_product_with_its_14_stages():
    candidate = factories.candidate(commodity="Madu hutan", pemetaan_note="Hutan madu 40 ha di lereng.")
    officer = backoffice.staff(ADMIN_PMD)
    accepted = selection.accept(candidate=candidate, by=officer)
    village = Village.objects.get(pk=candidate.village_id)
    assert village.is_ovop_locus and village.commodity == "Madu hutan"
    assert accepted.producer.village == village
    product = Product.objects.get(pk=accepted.product.pk)
    assert (product.is_published, product.cohort_year, product.producer) == (False, 2027, accepted.producer)
    assert product.stages.count() == 14
    assert Stage.objects.get(product=product, kind=StageKind.MAPPING).note == "Hutan madu 40 ha di lereng."
    candidate.refresh_from_db()
    assert (candidate.status, candidate.accepted_slot, candidate.decided_by) == (
        CandidateStatus.ACCEPTED,
        1,
        officer.username,
    )


def test_a_third_acceptance_in_a_regency_and_year_is_refused_and_writes_nothing():
    first, second, third = (factories.candidate() for _ in range(3))
    next_year = factories.candidate(cohort_year=2028)
    for candidate in (first, second, next_year):
        selection.accept(candidate=candidate, by=None)
    producers = Producer.objects.count()
    with pytest.raises(selection.SelectionRefused, match="sudah punya 2 kandidat diterima"):
        selection.accept(candidate=third, by=None)
    third.refresh_from_db()
    assert third.status == CandidateStatus.PROPOSED
    assert Producer.objects.count() == producers
    assert not Village.objects.get(pk=third.village_id).is_ovop_locus


def test_accepting_twice_is_refused():
    candidate = factories.candidate()
    selection.accept(candidate=candidate, by=None)
    with pytest.raises(selection.SelectionRefused, match="sudah diterima"):
        selection.accept(candidate=candidate, by=None)


def test_the_database_refuses_a_third_accepted_slot():
    from django.db import IntegrityError, transaction

    candidates = [factories.candidate() for _ in range(3)]
    for slot, candidate in enumerate(candidates[:2], start=1):
        Candidate.objects.filter(pk=candidate.pk).update(status=CandidateStatus.ACCEPTED, accepted_slot=slot)
    with pytest.raises(IntegrityError), transaction.atomic():
        Candidate.objects.filter(pk=candidates[2].pk).update(status=CandidateStatus.ACCEPTED, accepted_slot=2)


@pytest.mark.django_db(transaction=True)
def test_officers_accepting_at_the_same_moment_never_get_three(tmp_path):
    factories.category()  # the draft category is made inside the race otherwise
    candidates = [factories.candidate() for _ in range(5)]

    def accept(i: int):
        try:
            selection.accept(candidate=candidates[i].pk, by=None)
            return "ok"
        except selection.SelectionRefused:
            return "refused"
        finally:
            connection.close()

    with file_database(tmp_path):
        results = run_concurrently(accept, 5)
        accepted = Candidate.objects.accepted().count()
        products = Product.objects.count()
    assert sorted(str(r) for r in results).count("ok") == 2, results
    assert accepted == 2
    assert products == 2


def test_admin_pmd_accepts_from_the_list_and_pendamping_may_not():
    candidate = factories.candidate()
    data = {"action": "accept_selected", helpers.ACTION_CHECKBOX_NAME: [candidate.pk], "index": 0}
    response = client_for(PENDAMPING).post(CANDIDATES, data, follow=True)
    assert "accept_selected" not in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.PROPOSED
    response = client_for(ADMIN_PMD).post(CANDIDATES, data, follow=True)
    assert "1 kandidat diterima" in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.ACCEPTED


def test_a_field_officer_scores_a_candidate_with_evidence():
    village = factories.village("53.01.04.2010", "Uitiuhtuan")
    client = client_for(PENDAMPING)
    add = reverse("admin:villages_candidate_add")
    data = backoffice.form_data(client.get(add).content.decode(), "candidate_form")
    data.update({"village": village.pk, "commodity": "Rumput laut", "cohort_year": "2027"})
    for criterion in ("pemetaan", "desa_satelit", "pembeli", "distribusi", "legalitas"):
        data[f"{criterion}_score"] = "4"
        data[f"{criterion}_note"] = "Dilihat di lapangan."
    data["pemetaan_evidence"] = SimpleUploadedFile("peta.pdf", backoffice.pdf_bytes(), "application/pdf")
    response = client.post(add, data)
    assert response.status_code == 302
    candidate = Candidate.objects.get(village=village)
    assert candidate.regency_id == "53.01" and candidate.pemetaan_evidence.name.endswith(".pdf")


def test_a_score_outside_1_to_5_or_a_fake_evidence_file_is_refused():
    village = factories.village("53.01.04.2011", "Akle")
    client = client_for(PENDAMPING)
    add = reverse("admin:villages_candidate_add")
    data = backoffice.form_data(client.get(add).content.decode(), "candidate_form")
    data.update({"village": village.pk, "commodity": "Garam", "cohort_year": "2027"})
    for criterion in ("pemetaan", "desa_satelit", "pembeli", "distribusi", "legalitas"):
        data[f"{criterion}_score"] = "3"
    data["pembeli_score"] = "6"
    data["legalitas_evidence"] = SimpleUploadedFile("izin.pdf", b"MZ not a pdf", "application/pdf")
    response = client.post(add, data)
    assert response.status_code == 200
    assert not Candidate.objects.exists()


def test_only_admin_pmd_changes_the_weights_and_a_partner_reads_candidates():
    weights = SelectionWeights.current()
    change = reverse("admin:villages_selectionweights_change", args=[weights.pk])
    assert client_for(PENDAMPING).post(change, {"pemetaan": 90}).status_code == 403
    response = client_for(ADMIN_PMD).post(
        change, {"pemetaan": 40, "desa_satelit": 10, "pembeli": 20, "distribusi": 20, "legalitas": 10}
    )
    assert response.status_code == 302
    weights.refresh_from_db()
    assert weights.pemetaan == 40
    factories.candidate()
    assert client_for(MITRA).get(CANDIDATES).status_code == 200
    assert client_for(MITRA).get(reverse("admin:villages_candidate_add")).status_code == 403


CSV_HEADER = (
    "kode_desa,komoditas,tahun_angkatan,diusulkan_oleh,skor_pemetaan,catatan_pemetaan,skor_desa_satelit,"
    "catatan_desa_satelit,skor_pembeli,catatan_pembeli,skor_distribusi,catatan_distribusi,skor_legalitas,"
    "catatan_legalitas\n"
)


def import_csv(client: Client, text: str):
    upload = SimpleUploadedFile("kandidat.csv", text.encode(), "text/csv")
    return client.post(
        reverse("admin:villages_candidate_import"), {"import_file": upload, "format": "0", "resource": "0"}
    )


def test_the_candidate_import_previews_a_good_file_and_refuses_a_bad_one_whole():
    factories.village("53.01.04.2012", "Hansisi")
    factories.village("53.01.04.2013", "Huilelot")
    client = client_for(ADMIN_PMD)
    good = CSV_HEADER + (
        "53.01.04.2012,Madu,2027,Bappeda Kupang,4,,3,,4,,3,,2,\n53.01.04.2013,Garam,2027,,3,,3,,3,,3,,3,\n"
    )
    response = import_csv(client, good)
    assert response.status_code == 200
    assert 'name="confirm"' in response.content.decode()
    bad = good + "53.99.99.2999,Kopi,2027,,3,,3,,3,,3,,3,\n53.01.04.2012,Madu,2027,,9,,3,,3,,3,,3,\n"
    html = import_csv(client, bad).content.decode()
    assert "Desa dengan kode 53.99.99.2999 belum ada" in html
    assert 'name="confirm"' not in html
    assert not Candidate.objects.exists()


def test_only_admin_pmd_may_import_candidates():
    assert client_for(PENDAMPING).get(reverse("admin:villages_candidate_import")).status_code == 403
