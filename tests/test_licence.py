"""The project is GPL-3.0-or-later; every runtime dependency must allow that.

Each installed dependency's licence is read from its metadata (the SPDX expression first,
then the licence text it ships, then the License field, then its classifiers: a classifier
is the least precise and is sometimes wrong, e.g. `locate` ships the MIT text under an
"Other/Proprietary" classifier). A dependency whose licence is unknown or incompatible
fails the test, with its name and what was found.
"""

from __future__ import annotations

import re
from importlib import metadata

from packaging.requirements import Requirement

# Licences a GPL-3.0-or-later work may combine with (FSF's list), as SPDX ids or the words
# packages use for them. AGPL-3.0: GPL-3.0 section 13 allows combining with it.
COMPATIBLE = {
    "MIT", "MIT-CMU", "BSD-2-Clause", "BSD-3-Clause", "0BSD", "ISC", "Apache-2.0", "PSF-2.0", "PSFL", "CNRI-Python", "Zlib",
    "CC0-1.0", "Unlicense", "MPL-2.0", "LGPL-2.1-or-later", "LGPL-3.0-or-later", "LGPL", "GPL-2.0-or-later", "GPL-3.0",
    "GPL-3.0-only", "GPL-3.0-or-later", "GPL", "AGPL-3.0", "AGPL-3.0-or-later", "AGPL-3.0-only",
}  # fmt: skip
INCOMPATIBLE_WORDS = ("proprietary", "GPL-2.0-only", "CC-BY-NC", "SSPL", "BUSL")

# Words in classifiers, License fields and licence texts → SPDX.
NAMED = [
    (r"GNU AFFERO GENERAL PUBLIC LICENSE|Affero General Public License v3", "AGPL-3.0"),
    (r"GNU Library or Lesser General Public License|GNU LESSER GENERAL PUBLIC LICENSE", "LGPL"),
    (r"GPLv3|General Public License v3|GNU GENERAL PUBLIC LICENSE\s+Version 3", "GPL-3.0"),
    (r"GNU General Public License \(GPL\)", "GPL"),
    (r"^MIT\b|MIT License|Permission is hereby granted, free of charge", "MIT"),
    (r"Apache Software License|Apache License,? (Version )?2\.0|^Apache 2\.0|Apache-2\.0", "Apache-2.0"),
    (r"BSD License|3-Clause BSD|BSD-3-Clause|Redistribution and use in source and binary forms", "BSD-3-Clause"),
    (r"ISC License", "ISC"),
    (r"Python Software Foundation License|^PSFL?$", "PSF-2.0"),
    (r"Mozilla Public License 2\.0|MPL-2\.0|MPL 2\.0", "MPL-2.0"),
]


def runtime_dependencies() -> list[str]:
    seen: dict[str, str] = {}
    todo = ["translation-workbench"]
    while todo:
        name = todo.pop()
        key = name.lower().replace("_", "-")
        if key in seen:
            continue
        distribution = metadata.distribution(name)
        seen[key] = distribution.metadata["Name"]
        for line in distribution.requires or []:
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(requirement.name)
    return sorted(name for key, name in seen.items() if key != "translation-workbench")


def licence_of(name: str) -> tuple[set[str], str]:
    """(SPDX ids found, where they were found) from the most precise source there is."""
    info = metadata.metadata(name)
    expression = info.get("License-Expression")
    if expression:
        return set(re.split(r"\s+(?:AND|OR|WITH)\s+|[()]", expression)) - {""}, "License-Expression"
    texts = [f for f in metadata.files(name) or () if re.search(r"LICEN[CS]E|COPYING", f.name, re.IGNORECASE)]
    for text in texts:
        found = named(text.locate().read_text(encoding="utf-8", errors="replace")[:3000])
        if found:
            return found, f"licence file {text.name}"
    field = (info.get("License") or "").strip()
    if field and len(field) < 200:
        found = named(field) or ({field} if field in COMPATIBLE else set())
        if found:
            return found, "License field"
    classifiers = [c for c in info.get_all("Classifier") or () if c.startswith("License ::")]
    found = set().union(*(named(c.split("::")[-1].strip()) for c in classifiers)) if classifiers else set()
    if any("Proprietary" in c for c in classifiers):
        found.add("proprietary")
    return found, "classifiers"


def named(text: str) -> set[str]:
    return {spdx for pattern, spdx in NAMED if re.search(pattern, text, re.IGNORECASE | re.MULTILINE)}


def test_the_project_is_gpl3_or_later():
    info = metadata.metadata("translation-workbench")
    assert info.get("License-Expression") == "GPL-3.0-or-later"


def test_every_runtime_dependency_allows_gpl3():
    problems = []
    dependencies = runtime_dependencies()
    assert "py3langid" in dependencies and "translate-toolkit" in dependencies
    for name in dependencies:
        found, source = licence_of(name)
        # An expression with OR needs one compatible choice; otherwise every licence found must be.
        incompatible = {spdx for spdx in found if spdx not in COMPATIBLE or spdx in INCOMPATIBLE_WORDS}
        either = "OR" in (metadata.metadata(name).get("License-Expression") or "")
        if not found or (incompatible and not (either and found - incompatible)):
            problems.append(f"{name}: {sorted(found) or 'no licence found'} ({source})")
    assert not problems, "runtime dependencies whose licence does not allow GPL-3.0-or-later:\n" + "\n".join(problems)


def test_the_check_catches_an_incompatible_licence():
    assert "proprietary" not in COMPATIBLE and "GPL-2.0-only" not in COMPATIBLE
    assert named("License :: Other/Proprietary License") == set()
    assert named("GNU GENERAL PUBLIC LICENSE\n   Version 3, 29 June 2007") == {"GPL-3.0"}
