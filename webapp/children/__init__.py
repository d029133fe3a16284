"""Browsing the children a user may see."""
