"""Gerakan Beli Produk NTT: civil servants' and agencies' purchases, their paperwork and the campaign page."""
