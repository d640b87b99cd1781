# Indonesian date shapes of Beli Produk NTT: "29 Nov 2026" and "29 Nov 2026 18.11" (Django's own are
# "29 Nov. 2026" and "29 Nov. 2026, 18.11"; the admin's short ones "29-11-2026 18:11").
DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y H.i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y H.i"
TIME_FORMAT = "H.i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
