"""Concerns: raising one about a child, the triage inbox, the concern page."""
