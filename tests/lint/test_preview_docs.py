"""The preview's screenshots: every one a document shows exists, is a PNG of at most 200 KB, and none is
left unused. The browser tests take them (PREVIEW_SCREENSHOTS=docs/images, see docs/preview.md)."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
IMAGES = REPO / "docs" / "images"
MAX_BYTES = 200_000
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def shown_images() -> dict[Path, list[str]]:
    """Each image a Markdown document under the repository shows, with the documents showing it."""
    shown: dict[Path, list[str]] = {}
    documents = [REPO / "README.md", *(REPO / "docs").glob("*.md")]
    for document in documents:
        for target in re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", document.read_text(encoding="utf-8")):
            if "://" not in target:
                path = (document.parent / target).resolve()
                shown.setdefault(path, []).append(document.name)
    return shown


def test_every_shown_screenshot_exists_and_is_a_small_png() -> None:
    shown = shown_images()
    assert any(path.parent == IMAGES for path in shown), "docs/preview.md shows the preview's screenshots"
    for path, documents in shown.items():
        assert path.is_file(), f"{documents} show {path.relative_to(REPO)}, which does not exist"
        data = path.read_bytes()
        assert data.startswith(PNG_SIGNATURE), f"{path.name} is not a PNG"
        assert len(data) <= MAX_BYTES, f"{path.name} is {len(data)} bytes (at most {MAX_BYTES})"


def test_no_screenshot_is_left_unused() -> None:
    shown = shown_images()
    unused = [path.name for path in IMAGES.glob("*") if path.resolve() not in shown]
    assert not unused, f"docs/images holds images no document shows: {unused}"
