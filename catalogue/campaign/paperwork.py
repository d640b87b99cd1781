"""The paperwork an agency's finance office asks for: a receipt (kuitansi) for a paid order part, and
for agency purchases a delivery note (surat jalan / berita acara serah terima). PDFs drawn with fpdf2.

fpdf2's built-in Helvetica keeps the files small and needs no font on the server; it covers Latin-1, so
text is folded to it (accents kept, anything else becomes "?") instead of failing on a buyer's name.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from django.utils import timezone
from fpdf import FPDF

from catalogue.campaign.words import rupiah_in_words
from catalogue.money import format_rupiah

#: Documents stating a sum above Rp5.000.000 carry bea meterai (UU 10/2020), today an e-meterai of Rp10.000.
METERAI_THRESHOLD = 5_000_000
METERAI_LABEL = "Tempat e-meterai Rp10.000"

MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
          "Oktober", "November", "Desember")  # fmt: skip


def latin1(text: str) -> str:
    folded = unicodedata.normalize("NFKC", str(text)).replace("\u2014", "-").replace("\u2013", "-")
    return folded.encode("latin-1", "replace").decode("latin-1")


def indonesian_date(moment) -> str:
    local = timezone.localtime(moment) if hasattr(moment, "hour") else moment
    return f"{local.day} {MONTHS[local.month - 1]} {local.year}"


def needs_meterai(amount: int) -> bool:
    return amount > METERAI_THRESHOLD


@dataclass(frozen=True)
class Line:
    name: str
    quantity: int
    unit: str
    unit_price: int

    @property
    def total(self) -> int:
        return self.quantity * self.unit_price


@dataclass(frozen=True)
class Paper:
    """Everything one receipt or delivery note states, read from an order part (see `paper_for`)."""

    number: str
    date: object  # an aware datetime, shown in WITA
    payer: str
    payer_detail: str
    lines: tuple[Line, ...]
    shipping: int
    producer: str
    producer_nib: str
    producer_place: str
    address: str

    @property
    def amount(self) -> int:
        return sum(line.total for line in self.lines) + self.shipping

    @property
    def file_stem(self) -> str:
        return self.number.lower()


class _Document(FPDF):
    def __init__(self, title: str) -> None:
        super().__init__(format="A4")
        self.set_title(title)
        self.set_creator("Beli Produk NTT")
        self.set_auto_page_break(auto=True, margin=20)
        self.add_page()
        self.set_margins(20, 20, 20)

    def text_line(self, text: str, *, size: int = 10, style: str = "", align: str = "L") -> None:
        self.set_font("Helvetica", style, size)
        self.multi_cell(0, size * 0.6, latin1(text), align=align, new_x="LMARGIN", new_y="NEXT")

    def pair(self, label: str, value: str) -> None:
        self.set_font("Helvetica", "", 10)
        self.cell(45, 6, latin1(label))
        self.multi_cell(0, 6, latin1(f": {value}"), new_x="LMARGIN", new_y="NEXT")

    def lines_table(self, paper: Paper, *, with_prices: bool) -> None:
        self.set_font("Helvetica", "B", 9)
        widths = (95, 15, 30, 30) if with_prices else (150, 20)
        heads = ("Barang", "Jumlah", "Harga satuan", "Jumlah (Rp)") if with_prices else ("Barang", "Jumlah")
        for width, head in zip(widths, heads, strict=True):
            self.cell(width, 7, head, border=1)
        self.ln()
        self.set_font("Helvetica", "", 9)
        for line in paper.lines:
            cells = [f"{line.name} ({line.unit})", str(line.quantity)]
            if with_prices:
                cells += [format_rupiah(line.unit_price), format_rupiah(line.total)]
            for width, value in zip(widths, cells, strict=True):
                self.cell(width, 7, latin1(value)[:64], border=1)
            self.ln()
        if with_prices and paper.shipping:
            self.cell(sum(widths[:3]), 7, "Ongkos kirim", border=1)
            self.cell(widths[3], 7, format_rupiah(paper.shipping), border=1)
            self.ln()

    def signatures(self, left: str, right: str, place_date: str, *, meterai: bool = False) -> None:
        self.ln(6)
        self.set_font("Helvetica", "", 10)
        self.cell(85, 6, "")
        self.cell(0, 6, latin1(place_date), new_x="LMARGIN", new_y="NEXT")
        self.cell(85, 6, latin1(left))
        self.cell(0, 6, latin1(right), new_x="LMARGIN", new_y="NEXT")
        top = self.get_y()
        if meterai:
            self.set_font("Helvetica", "I", 8)
            self.rect(105, top + 2, 32, 20)
            self.set_xy(106, top + 8)
            self.multi_cell(30, 4, METERAI_LABEL, align="C")
        self.set_xy(self.l_margin, top + 26)
        self.set_font("Helvetica", "", 10)
        self.cell(85, 6, "(.................................)")
        self.cell(0, 6, "(.................................)", new_x="LMARGIN", new_y="NEXT")


def receipt_pdf(paper: Paper) -> bytes:
    pdf = _Document(f"Kuitansi {paper.number}")
    pdf.text_line("KUITANSI", size=16, style="B", align="C")
    pdf.text_line(f"Nomor: {paper.number}", align="C")
    pdf.text_line(f"Tanggal: {indonesian_date(paper.date)} (WITA)", align="C")
    pdf.ln(4)
    pdf.pair("Telah terima dari", paper.payer)
    if paper.payer_detail:
        pdf.pair("", paper.payer_detail)
    pdf.pair("Uang sejumlah", format_rupiah(paper.amount))
    pdf.pair("Terbilang", rupiah_in_words(paper.amount).capitalize())
    pdf.pair("Untuk pembayaran", "pembelian produk OVOP NTT berikut:")
    pdf.ln(2)
    pdf.lines_table(paper, with_prices=True)
    pdf.ln(3)
    pdf.pair("Penjual (UMKM)", paper.producer)
    pdf.pair("NIB", paper.producer_nib or "-")
    pdf.pair("Desa", paper.producer_place)
    pdf.signatures(
        "Pembayar,",
        "Penerima,",
        f"{paper.producer_place.split(',')[0]}, {indonesian_date(paper.date)}",
        meterai=needs_meterai(paper.amount),
    )
    return bytes(pdf.output())


def delivery_note_pdf(paper: Paper) -> bytes:
    pdf = _Document(f"Surat jalan {paper.number}")
    pdf.text_line("SURAT JALAN / BERITA ACARA SERAH TERIMA BARANG", size=13, style="B", align="C")
    pdf.text_line(f"Nomor: {paper.number}", align="C")
    pdf.ln(4)
    pdf.text_line(
        f"Pada tanggal {indonesian_date(paper.date)}, {paper.producer} ({paper.producer_place}) "
        f"menyerahkan kepada {paper.payer} barang-barang berikut dalam keadaan baik dan lengkap:"
    )
    pdf.ln(2)
    pdf.lines_table(paper, with_prices=False)
    pdf.ln(3)
    pdf.pair("Dikirim ke", paper.address or "-")
    if paper.payer_detail:
        pdf.pair("Penerima", paper.payer_detail)
    pdf.signatures("Yang menerima,", "Yang menyerahkan,", indonesian_date(paper.date))
    return bytes(pdf.output())


def paper_for(part) -> Paper:
    """The receipt's facts for one order part (an `OrderPart` with its order, lines and producer)."""
    order = part.order
    campaign = getattr(order, "campaign", None)
    payer, detail = order.buyer_name, ""
    if campaign is not None and campaign.kind == "instansi":
        payer = campaign.agency.name
        official = ", ".join(v for v in (campaign.official_name, campaign.official_title) if v)
        detail = f"u.p. {official}" if official else f"u.p. {order.buyer_name}"
    elif campaign is not None:
        detail = f"ASN {campaign.agency.name}"
    index = list(order.parts.order_by("pk").values_list("pk", flat=True)).index(part.pk) + 1
    village = part.producer.village
    place = f"Desa {village.name}, {village.district.regency.name}"
    return Paper(
        number=f"{order.number}-{index}",
        date=getattr(part, "paid_at", None) or part.status_changed_at,
        payer=payer,
        payer_detail=detail,
        lines=tuple(Line(li.product_name, li.quantity, li.unit, li.unit_price) for li in part.lines.all()),
        shipping=getattr(part, "shipping", 0) or 0,
        producer=part.producer.name,
        producer_nib=part.producer.nib,
        producer_place=place,
        address=order.address,
    )
