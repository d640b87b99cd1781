"""The monthly XLSX report of paid campaign purchases, per agency and per regency, for Admin PMD.

Unlike /gerakan/, the report names every agency (it is for the office, not the public), but still no
buyer: the finance question is how much each agency bought, not who.
"""

from __future__ import annotations

import datetime
import io
from collections import defaultdict

from openpyxl import Workbook

from catalogue.campaign import stats
from ovop.tabular import escape_formula


def monthly_report_xlsx(month: datetime.date) -> bytes:
    per_agency: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    per_regency: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    parts = stats.campaign_parts(month).select_related(
        "order__campaign__agency", "producer__village__district__regency"
    )
    for part in parts:
        amount = stats.part_amount(part)
        for table, key in (
            (per_agency, part.order.campaign.agency.name),
            (per_regency, part.producer.village.district.regency.name),
        ):
            table[key][0] += amount
            table[key][1] += 1
    book = Workbook()
    for sheet, title, head, table in (
        (book.active, "Per instansi", "Instansi", per_agency),
        (book.create_sheet(), "Per kabupaten-kota", "Kabupaten/kota produsen", per_regency),
    ):
        sheet.title = title
        sheet.append([f"Pembelian Gerakan Beli Produk NTT yang dibayar, {month:%m/%Y}"])
        sheet.append([head, "Jumlah (Rp)", "Pembelian"])
        for name, (amount, count) in sorted(table.items(), key=lambda item: (-item[1][0], item[0])):
            sheet.append([escape_formula(name), amount, count])
        sheet.append(["Total", sum(v[0] for v in table.values()), sum(v[1] for v in table.values())])
        sheet.column_dimensions["A"].width = 55
        sheet.column_dimensions["B"].width = 16
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
