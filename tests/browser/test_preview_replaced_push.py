"""A push replaced with `PUT /push-notification/{id}` shows its new content where the original was, marked
as replaced, and the page updates live when the replacement arrives (issue 13 with the preview)."""

from __future__ import annotations

from tests.support.service import LocalService

from .preview_page import PreviewPage


def test_a_replaced_push_shows_its_new_content_in_its_old_place(
    service: LocalService, preview: PreviewPage
) -> None:
    first = service.api("POST", "/push-notification", json={"title": "Build started", "message": "main"})
    notification_id = first.json()["notification_id"]
    service.api("POST", "/push-notification", json={"title": "Deploy queued"})
    preview.open()
    assert [(p["title"], p["replaced"]) for p in preview.pushes("iphone")] == [
        ("Deploy queued", False),
        ("Build started", False),
    ]
    replaced = service.api(
        "PUT",
        f"/push-notification/{notification_id}",
        json={"title": "Build passed", "message": "main in 3m 12s", "subtitle": "acme/web"},
    )
    assert replaced.status_code == 200, replaced.text
    preview.settle()
    shown = preview.pushes("iphone")
    assert [(p["index"], p["title"], p["replaced"]) for p in shown] == [
        (1, "Deploy queued", False),
        (0, "Build passed", True),
    ]
    assert (shown[1]["subtitle"], shown[1]["message"]) == ("acme/web", "main in 3m 12s")
    marker = preview.phone("iphone").locator("article.push[data-push='0'] .replaced")
    assert marker.inner_text() == "replaced"
    assert (marker.get_attribute("title") or "").startswith("replaced at ")
    service.api("PUT", f"/push-notification/{notification_id}", json={"title": "Build passed (retried)"})
    preview.settle()
    assert marker.inner_text() == "replaced ×2"
    assert preview.pushes("iphone")[1]["title"] == "Build passed (retried)"
