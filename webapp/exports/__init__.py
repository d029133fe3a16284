"""Exports: the provincial ledger of children at 重点/高危 (XLSX)."""
