"""Bounds on what one input may cost before the workbench refuses it.

A hostile or broken file must fail fast with a message naming it, not eat the machine: a
zip bomb is refused after reading at most ``max_unpacked_bytes`` of it, a one-line 100 MB
file before segmentation starts. Each bound is a setting (``workbench.toml`` or
``WORKBENCH_*``), so a user with a real need can raise it.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.core.errors import InputError


@dataclass(frozen=True)
class Limits:
    max_input_bytes: int = 200_000_000  # a file larger than this is refused unread
    large_input_bytes: int = 20_000_000  # larger files are read with a warning that it takes a while
    max_unpacked_bytes: int = 500_000_000  # all the parts of a .docx/.odt together, decompressed
    max_archive_entries: int = 10_000  # parts in a .docx/.odt
    max_line_chars: int = 1_000_000  # one line (paragraph) of text
    max_depth: int = 400  # elements nested in one another (Python's recursion stops near 1,000)

    def checked_size(self, path, size: int) -> tuple[str, ...]:
        """Refuse (InputError naming ``path``) an input of ``size`` bytes over
        ``max_input_bytes``; the warning for a large one, else nothing."""
        if size > self.max_input_bytes:
            raise InputError(
                path,
                f"is {megabytes(size)}, more than the {megabytes(self.max_input_bytes)} the workbench reads "
                "(raise max_input_mb in workbench.toml to read it)",
            )
        if size > self.large_input_bytes:
            return (f"{path}: a large file ({megabytes(size)}); reading and splitting it take a while",)
        return ()


DEFAULT_LIMITS = Limits()


def megabytes(count: int) -> str:
    return f"{count / 1e6:.0f} MB" if count >= 1e6 else f"{count:,} bytes"
