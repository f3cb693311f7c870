"""Zip packages (Word, OpenDocument): a rendering rewrites its text parts and copies the rest."""

from __future__ import annotations

import io
import zipfile


def with_parts(data: bytes, rewritten: dict[str, bytes]) -> bytes:
    """The package ``data`` with the parts in ``rewritten`` replaced; every other part (the
    OpenDocument mimetype first and stored) as it was, in the same order."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            target.writestr(info, rewritten.get(info.filename) or source.read(info.filename))
    return buffer.getvalue()
