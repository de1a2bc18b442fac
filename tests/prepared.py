"""A prepared export as an organizer gets it: the prepare button's POST, the export's page (ready: tests build
exports inline, `EXPORT_RUNNER` "inline"), then its download."""

from __future__ import annotations


def prepared(client, url: str, data: dict | None = None):
    """The download's response of the export the POST to `url` asks for, after checking its page says ready."""
    asked = client.post(url, data=data or {})
    assert asked.status_code == 302, asked.status_code
    page_url = asked.headers["Location"]
    page = client.get(page_url)
    assert page.status_code == 200 and b'data-state="done"' in page.data, page.data[-2000:]
    return client.get(f"{page_url}/download")
