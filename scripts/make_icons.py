"""Render XinQiao's app icons (static/icons/*.png) from the SVG sources, in headless Chromium.

Run by hand after changing static/icon.svg or static/icons/maskable.svg:
    python3 scripts/make_icons.py
"""
from pathlib import Path

from playwright.sync_api import sync_playwright

STATIC = Path(__file__).resolve().parent.parent / "static"
ICONS = [
    ("icon.svg", "icons/icon-192.png", 192),
    ("icon.svg", "icons/icon-512.png", 512),
    ("icons/maskable.svg", "icons/maskable-512.png", 512),
]


def main():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page(device_scale_factor=1)
        for source, target, size in ICONS:
            svg = (STATIC / source).read_text().replace("<svg ", '<svg width="100%" height="100%" ', 1)
            page.set_viewport_size({"width": size, "height": size})
            page.set_content(
                "<html><body style='margin:0;background:transparent'>"
                f"<div style='width:{size}px;height:{size}px'>{svg}</div></body></html>"
            )
            page.screenshot(path=str(STATIC / target), omit_background=True)
            print(target, size)
        browser.close()


if __name__ == "__main__":
    main()
