"""Saving web pages into the corpus, with where and when they came from.

The page's bytes are saved as they came (``corpus/<host>-<path>.html``), and a record beside
it (``.<name>.source.json``, hidden, so it is never read as a document) keeps the address,
the final address after redirects, the fetch time, the HTTP status and content type: the
source of a review stays known.
"""

from __future__ import annotations

import json
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from workbench.core.errors import WorkbenchError
from workbench.store.files import inside, write_atomically

MAX_BYTES = 50_000_000


class FetchError(WorkbenchError, OSError):
    """A page that cannot be fetched; the message names the address and why."""


@dataclass(frozen=True)
class Saved:
    path: Path
    record: Path
    size: int


def file_name(url: str) -> str:
    """``https://example.org/news/a?id=3`` → ``example.org-news-a-id-3.html``."""
    parts = urllib.parse.urlsplit(url)
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", f"{parts.netloc}{parts.path}{'-' + parts.query if parts.query else ''}").strip("-.")
    stem = stem[:120] or "page"
    return stem if stem.lower().endswith((".html", ".htm")) else stem + ".html"


def _download(url: str, timeout: float, deadline: float, max_bytes: int, outcome: list) -> None:
    """``outcome`` gets ``(bytes, status, final address, content type)`` or the FetchError."""
    request = urllib.request.Request(url, headers={"User-Agent": "translation-workbench"})
    opener = urllib.request.build_opener(_WebOnly)
    started = time.monotonic()
    try:
        with opener.open(request, timeout=min(timeout, deadline)) as response:
            chunks, size = [], 0
            while chunk := response.read1(65536):
                chunks.append(chunk)
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError(f"is larger than {max_bytes // 1_000_000} MB; save it by hand if you need it")
                if time.monotonic() - started > deadline:
                    raise FetchError(f"took more than {deadline:.0f} s to arrive; stopped (a slow or stalling server)")
            outcome.append((b"".join(chunks), response.status, response.geturl(), response.headers.get("Content-Type", "")))
    except FetchError as error:
        outcome.append(error)
    except urllib.error.HTTPError as error:
        outcome.append(FetchError(f"the server answered {error.code} {error.reason}"))
    except (urllib.error.URLError, OSError, ValueError) as error:
        outcome.append(FetchError(f"cannot be fetched ({getattr(error, 'reason', error)}); are you offline?"))
    except Exception as error:  # http.client's protocol errors (a broken status line, too many headers …)
        outcome.append(FetchError(f"cannot be fetched: the server's answer is not HTTP ({type(error).__name__}: {error})"))


class _WebOnly(urllib.request.HTTPRedirectHandler):
    """Follows redirects only to http and https: a page may not send the workbench to
    ``ftp://`` or ``file://``."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urllib.parse.urlsplit(newurl).scheme not in ("http", "https"):
            raise FetchError(f"redirected to {newurl}, which is not a web address (http or https); not followed")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch_page(url: str, folder: Path, timeout: float = 30.0, deadline: float = 120.0, max_bytes: int = MAX_BYTES) -> Saved:
    """Download ``url`` into ``folder``: http and https only (after every redirect too), at
    most ``max_bytes``, within ``deadline`` seconds in all (a server that trickles bytes is
    cut off), each read within ``timeout``. Raises FetchError (offline, not found, not a page,
    too large, too slow)."""
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise FetchError(f"not a web address (http or https): {url}")
    outcome: list = []
    # The download runs on its own thread, so the deadline holds even while a server trickles
    # its headers (a read that returns a byte at a time never times out by itself).
    worker = threading.Thread(target=_download, args=(url, timeout, deadline, max_bytes, outcome), name="workbench-fetch", daemon=True)
    worker.start()
    worker.join(deadline + 1.0)
    if not outcome:
        raise FetchError(f"took more than {deadline:.0f} s to arrive; stopped (a slow or stalling server)")
    if isinstance(outcome[0], BaseException):
        raise outcome[0]
    data, status, final, content_type = outcome[0]
    if urllib.parse.urlsplit(final).scheme not in ("http", "https"):
        raise FetchError(f"ended at {final}, which is not a web address (http or https)")
    if content_type and "html" not in content_type.lower():
        raise FetchError(f"is not a web page (Content-Type: {content_type})")
    path = inside(folder, file_name(final))
    record = folder / f".{path.name}.source.json"
    write_atomically(path, data)
    fetched = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    details = {"url": url, "final_url": final, "fetched": fetched, "status": status, "content_type": content_type, "bytes": len(data)}
    write_atomically(record, json.dumps(details, indent=2) + "\n")
    return Saved(path, record, len(data))
