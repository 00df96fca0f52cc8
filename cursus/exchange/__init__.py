"""Bulk import and export of learners, units, offerings and historic results (CSV, XLSX)."""
