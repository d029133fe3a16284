"""Tests that drive the app in headless Chromium at phone size (Playwright)."""
