"""Certificates: the signed PDF of a rating (layout, fonts, QR code, PAdES signature)."""
