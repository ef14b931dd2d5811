"""Bulk filing import: spool the upload, read its rows, check them, write the filings."""
