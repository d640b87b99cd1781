"""The back office outside the admin (staff only): dashboard, matrix export, labels, private files."""

from django.urls import path

from catalogue.views import dashboard, files, labels

urlpatterns = [
    path("dasbor/", dashboard.dashboard, name="dashboard"),
    path("dasbor/matriks.<str:fmt>", dashboard.matrix_export, name="dashboard_export"),
    path("dasbor/label/", labels.label_index, name="label_index"),
    path("dasbor/label/<slug:slug>/", labels.label_sheet, name="label"),
    path("dasbor/berkas/<path:path>", files.private_file, name="private_file"),
]
