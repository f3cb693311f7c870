"""The review app (Streamlit). Thin: every decision is made in workbench.review.workspace.

Run it with ``workbench review``. Document text is shown as inert text, never as HTML: where
chips show its formatting (``review.chips``), every piece of the text is escaped.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import streamlit as st

from workbench.core import languages
from workbench.core.errors import WorkbenchError
from workbench.review import chips, qa
from workbench.review.overview import SegmentFilter, is_flagged, is_low_confidence, needs_review, project_progress
from workbench.review.workspace import ConflictError, OpenDocument, Workspace
from workbench.store.files import SOURCE, SegmentRecord, StoreError
from workbench.store.workflow import LABELS, shown_text
from workbench.store.workflow import SETTABLE as SETTABLE_STATUSES

SETTABLE = [str(status) for status in SETTABLE_STATUSES]

# Every character Markdown (and Streamlit's own :directives:, $math$) gives a meaning to.
_MARKUP = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=])")


def plain(text: str) -> str:
    """``text`` for a Markdown-rendering place (labels, captions, messages) shown exactly as
    written: a document line ``![](http://…)`` stays characters and fetches nothing."""
    return _MARKUP.sub(r"\\\1", str(text))


PAGE_SIZE = 25
# Static styling only (no document content): right-to-left segments, compact English ones.
STYLE = """
<style>
[class*="st-key-rtl-"] { align-items: flex-end; }
[class*="st-key-rtl-"] [data-testid="stText"] { direction: rtl; text-align: right; unicode-bidi: plaintext; }
[class*="st-key-en-"] { opacity: 0.75; }
.wb-chips { white-space: pre-wrap; line-height: 1.9; }
[class*="st-key-rtl-"] .wb-chips { text-align: right; unicode-bidi: plaintext; }
.wb-chip { border: 1px solid #7b8cde; background: #eef1ff; border-radius: 0.6em; padding: 0.05em 0.35em; }
.wb-chip sup { color: #4a5bb0; font-size: 0.7em; margin-right: 0.2em; user-select: none; }
.wb-standalone { background: #f3f3f3; border-color: #aaa; font-size: 0.85em; margin: 0 0.15em; user-select: none; }
.wb-missing { border-color: #d9534f; background: #fdecea; text-decoration: line-through; }
</style>
"""


def app_settings():
    """The settings (workbench.toml < WORKBENCH_* < the flags `workbench review` passes)."""
    from workbench.core.settings import load

    parser = argparse.ArgumentParser(add_help=False)
    for flag in ("--corpus", "--translations", "--device", "--models-dir"):
        parser.add_argument(flag)
    known, _ = parser.parse_known_args()
    return load({"corpus": known.corpus, "translations": known.translations, "device": known.device, "models_dir": known.models_dir})


@st.cache_resource
def translator(translations: str):
    """The engine stays loaded across reruns and sessions."""
    from dataclasses import replace

    from workbench.translate.record import RecordTranslator

    return RecordTranslator(replace(app_settings(), translations=Path(translations)))


@st.cache_resource(max_entries=4)
def _memory(translations: str, signature: tuple):
    from workbench.store.memory import TranslationMemory

    return TranslationMemory.from_folder(Path(translations))


def folder_signature(ws: Workspace) -> tuple:
    """Changes whenever a translations file is written (each write is a new file). Listed
    once per run (``main`` forgets it): every segment's memory matches ask for it."""
    signature = st.session_state.get("folder-signature")
    if signature is None:
        files = sorted(ws.translations.rglob("*.json")) if ws.translations.is_dir() else []
        stats = [(str(path), path.stat()) for path in files]
        signature = tuple((name, status.st_ino, status.st_mtime_ns) for name, status in stats)
        st.session_state["folder-signature"] = signature
    return signature


def memory(ws: Workspace):
    """The translation memory, rebuilt only when a translations file changed."""
    return _memory(str(ws.translations), folder_signature(ws))


def flash(kind: str, message: str) -> None:
    st.session_state["flash"] = (kind, message)


def show_flash(key: str = "flash") -> None:
    if key in st.session_state:
        kind, message = st.session_state.pop(key)
        getattr(st, kind)(plain(message))


def act(action, *args, success: str = "") -> None:
    """Run a review action; report conflicts and refusals instead of raising."""
    try:
        action(*args)
        if success:
            flash("success", success)
    except ConflictError as error:
        flash("error", f"Not saved: {error}")
    except WorkbenchError as error:
        flash("error", f"Not done: {error}")


# -- sidebar: the documents -----------------------------------------------------------------


def sidebar(ws: Workspace) -> str | None:
    st.sidebar.title("Translation Workbench")
    summaries = ws.summaries()
    if not summaries:
        st.sidebar.info(plain(f"No translated documents in {ws.translations}/. Run workbench translate first."))
        return None
    all_langs = sorted({lang for s in summaries for lang in s.languages})
    chosen_langs = st.sidebar.multiselect("Language", all_langs, format_func=lambda c: f"{c} · {languages.name_of(c)}", key="filter-langs")
    chosen_status = st.sidebar.multiselect("Has segments in status", [str(s) for s in LABELS if s != SOURCE], key="filter-status")
    attention = st.sidebar.checkbox("Flagged and low-confidence first", value=True, key="filter-attention")
    visible = [
        s
        for s in summaries
        if (not chosen_langs or set(chosen_langs) & set(s.languages)) and (not chosen_status or any(s.counts.get(x) for x in chosen_status))
    ]
    if attention:
        visible.sort(key=lambda s: (-s.flagged, -s.low_confidence, s.id))

    by_id = {s.id: s for s in summaries}

    def label(doc_id: str) -> str:
        return plain(by_id[doc_id].label())

    progress = project_progress([s for s in summaries if not s.error])
    words = progress["words"]
    to_do = sum(count for status, count in words.items() if status in ("untranslated", "machine", "edited"))
    done = sum(count for status, count in words.items() if status in ("reviewed", "approved", "rejected"))
    st.sidebar.caption(plain(f"Project: {done} of {done + to_do} words reviewed · {to_do} to review"))
    if done + to_do:
        st.sidebar.progress(done / (done + to_do))
    st.sidebar.toggle("Project dashboard", key="dashboard", help="Words and segments by status, per document")
    drafts = sum(s.drafts for s in summaries)
    if drafts:
        documents = sum(1 for s in summaries if s.drafts)
        st.sidebar.warning(
            plain(f"✎ {drafts} unsaved draft{'s' * (drafts != 1)} in {documents} document{'s' * (documents != 1)} (kept on disk)")
        )

    ids = [s.id for s in visible]
    if not ids:
        st.sidebar.warning("No document matches the filters.")
        return None
    # The address carries the document (?doc=…), so a reload or a shared link opens it again.
    current = st.session_state.get("doc") or st.query_params.get("doc")
    index = ids.index(current) if current in ids else 0
    doc_id = st.sidebar.radio("Documents", ids, index=index, format_func=label, key="doc-radio")
    st.session_state["doc"] = doc_id
    if st.query_params.get("doc") != doc_id:
        st.query_params["doc"] = doc_id

    query = st.sidebar.text_input("Search sources and translations", key="search")
    if query.strip():
        hits = ws.search(query)
        st.sidebar.caption(f"{len(hits)} hits")
        for number, hit in enumerate(hits[:30]):
            if st.sidebar.button(plain(f"{hit.document_id}: {hit.snippet[:60]}"), key=f"hit-{number}-{hit.document_id}-{hit.segment_id}"):
                st.session_state["doc"] = hit.document_id
                st.session_state["focus"] = hit.segment_id
                st.rerun()
    find_and_replace(ws)
    concordance(ws)
    return doc_id


def find_and_replace(ws: Workspace) -> None:
    """Across documents, with a preview of every change; one step undoes the last batch."""
    from workbench.review import replace

    with st.sidebar.expander("Find and replace"):
        needle = st.text_input("Find in translations", key="fr-find")
        replacement = st.text_input("Replace with", key="fr-replace")
        case = st.checkbox("Match case", key="fr-case")
        regex = st.checkbox("Regular expression", key="fr-regex")
        if needle:
            # The preview is computed again only when the query or a file changed, not on
            # every click elsewhere in the app.
            query = (needle, replacement, case, regex, folder_signature(ws))
            cached = st.session_state.get("fr-preview-of")
            if cached is not None and cached[0] == query:
                changes, problem = cached[1], cached[2]
            else:
                try:
                    changes, problem = replace.preview(ws, needle, replacement, case=case, regex=regex), ""
                except WorkbenchError as error:
                    changes, problem = [], str(error)
                st.session_state["fr-preview-of"] = (query, changes, problem)
            if problem:
                st.error(plain(problem))
            st.caption(plain(f"{len(changes)} translations would change"))
            if changes:
                st.dataframe(
                    [{"document": c.document_id, "before": c.before, "after": c.after} for c in changes],
                    hide_index=True,
                    key="fr-preview",
                )
                if st.button(f"Replace in {len(changes)} segments", key="fr-apply"):
                    try:
                        st.session_state["fr-batch"], skipped = replace.apply(ws, changes)
                        flash("success", f"Replaced in {len(changes) - len(skipped)} segments." + "".join(f" {s}" for s in skipped))
                    except (WorkbenchError, OSError) as error:
                        flash("error", f"Not replaced: {error}")
                    st.rerun()
        # The last replace of this session; an earlier one is looked up only when asked for
        # (it reads every translations file: not on every click).
        batch = st.session_state.get("fr-batch")
        if batch is None and st.button("Find the last replace to undo", key="fr-find-batch"):
            st.session_state["fr-batch"] = replace.last_batch(ws)
            if st.session_state["fr-batch"] is None:
                flash("info", "No replace to undo.")
            st.rerun()
        if batch is not None and st.button("Undo the last replace", key="fr-undo"):
            try:
                restored, skipped = replace.undo(ws, batch)
                st.session_state.pop("fr-batch", None)
                flash("success", f"Undone in {restored} segments." + "".join(f" {s}" for s in skipped))
            except (WorkbenchError, OSError) as error:
                flash("error", f"Not undone: {error}")
            st.rerun()


def concordance(ws: Workspace) -> None:
    """How words were translated before: the translation memory, searched."""
    with st.sidebar.expander("Concordance (translation memory)"):
        query = st.text_input("Words", key="cc-query")
        field = st.radio("In", ["source", "target"], horizontal=True, key="cc-field")
        if query.strip():
            entries = memory(ws).concordance(query, field)
            st.caption(plain(f"{len(entries)} entries"))
            for entry in entries[:20]:
                st.text(f"{entry.lang}: {entry.source}\n→ {entry.target}  ({entry.status}, {entry.document_id})")


# -- one segment ---------------------------------------------------------------------------


def english_segment(ws: Workspace, doc_id: str, record: SegmentRecord) -> None:
    with st.container(key=f"en-{record.id}"):
        left, right = st.columns([12, 1])
        left.text(record.source)
        right.button("More", key=f"more-{record.id}", on_click=toggle_tools, args=(record.id,), help="Change the language of this segment")
        if st.session_state.get("tools") == record.id:
            relabel_controls(ws, doc_id, record, record.revision)


def toggle_tools(seg_id: str) -> None:
    """The rarely used controls of a segment are drawn for one segment at a time: drawn for
    every segment, they were most of the cost of each click on a long document."""
    st.session_state["tools"] = None if st.session_state.get("tools") == seg_id else seg_id


def relabel_controls(ws: Workspace, doc_id: str, record: SegmentRecord, base: int) -> None:
    options = [*languages.DEFAULT_LANGUAGES, "ckb"]
    current = options.index(record.lang) if record.lang in options else 0
    lang = st.selectbox("Language", options, index=current, format_func=lambda c: f"{c} · {languages.name_of(c)}", key=f"lang-{record.id}")
    if st.button("Relabel and re-translate", key=f"relabel-{record.id}"):
        act(ws.relabel, doc_id, record.id, lang, base, translator(str(ws.translations)), success=f"Relabelled as {lang}.")
        st.rerun()


def editor(doc_id: str, record: SegmentRecord) -> tuple[str, int]:
    """The correction box's key and the revision this tab's text is based on.

    Widget keys do not change with the file, so a click in a tab that is behind is never
    lost: it reaches the review logic with the old revision and gets a conflict. A box the
    reviewer has not touched follows the file.
    """
    key = f"correction-{doc_id}-{record.id}"
    base_key, loaded_key = f"{key}-base", f"{key}-loaded"
    on_disk = record.correction or (record.machine.text if record.machine else "")
    # A draft on disk (typed in another document visit, page, or before a reload) comes back.
    initial = record.draft or on_disk
    untouched = st.session_state.get(key) == st.session_state.get(loaded_key)
    if (
        key not in st.session_state
        or st.session_state.pop(f"{key}-reset", False)
        or (untouched and (st.session_state.get(base_key) != record.revision or st.session_state.get(loaded_key) != initial))
    ):
        st.session_state[key] = initial
        st.session_state[loaded_key] = initial
        st.session_state[base_key] = record.revision
    return key, st.session_state[base_key]


# -- the segment's actions: callbacks, run before the page is drawn, so a click costs one run --


def keep_draft(doc_id: str, seg_id: str, key: str) -> None:
    """The correction box changed: its text is kept on disk as a draft (by ``write_drafts``,
    once this run's clicks are known: a Save in the same run makes the draft needless), so
    nothing typed is lost when the reviewer moves to another document, page or filter, or
    reloads the browser."""
    st.session_state.setdefault("pending-drafts", {})[(doc_id, seg_id)] = key


def write_drafts(ws: Workspace) -> None:
    for (doc_id, seg_id), key in st.session_state.pop("pending-drafts", {}).items():
        if key not in st.session_state:
            continue
        try:
            ws.save_draft(doc_id, seg_id, st.session_state[key])
        except (WorkbenchError, OSError) as error:
            st.session_state[f"flash-{seg_id}"] = ("error", f"Your text stays in this tab, but could not be kept on disk: {error}")


def forget_pending_draft(doc_id: str, seg_id: str) -> None:
    st.session_state.get("pending-drafts", {}).pop((doc_id, seg_id), None)


def typed(doc_id: str, record: SegmentRecord, key: str) -> tuple[str, int]:
    """What the box holds and the revision it is based on; the pending draft is superseded."""
    forget_pending_draft(doc_id, record.id)
    st.session_state["focus"] = record.id  # the view stays on this segment
    return st.session_state[key], st.session_state[f"{key}-base"]


def save(ws: Workspace, doc_id: str, record: SegmentRecord, key: str) -> None:
    text, base = typed(doc_id, record, key)
    try:
        saved(key, text, ws.save_correction(doc_id, record.id, text, base))
        flash("success", f"Correction saved ({record.lang} segment at {record.start}–{record.end}).")
        st.session_state[f"flash-{record.id}"] = ("success", "Saved.")
    except ConflictError as error:
        flash("error", f"Not saved: {error}")
    except (WorkbenchError, OSError) as error:  # a read-only folder, a full disk: the text stays in the box
        flash("error", f"Not saved: {error}. Your text is still in the box.")


def approve(ws: Workspace, doc_id: str, record: SegmentRecord, key: str) -> None:
    text, base = typed(doc_id, record, key)
    try:
        if text != (record.correction or (record.machine.text if record.machine else "")):
            base = ws.save_correction(doc_id, record.id, text, base).revision
        saved(key, text, ws.set_status(doc_id, record.id, "approved", base))
        flash("success", f"Approved ({record.lang} segment at {record.start}–{record.end}).")
    except (WorkbenchError, OSError) as error:
        flash("error", f"Not approved: {error}. Your text is still in the box.")


def use_text(doc_id: str, seg_id: str, key: str, text: str) -> None:
    """Put ``text`` (a memory match, the machine output, the source) in the box, as a draft."""
    st.session_state[key] = text
    keep_draft(doc_id, seg_id, key)


def drop_draft(ws: Workspace, doc_id: str, seg_id: str, key: str) -> None:
    """Show the saved text again (Revert, or the latest version after a conflict)."""
    forget_pending_draft(doc_id, seg_id)
    try:
        ws.discard_draft(doc_id, seg_id)
    except (WorkbenchError, OSError) as error:
        st.session_state[f"flash-{seg_id}"] = ("error", f"The draft could not be dropped: {error}")
    st.session_state[f"{key}-reset"] = True


def replace_text(record: SegmentRecord, text: str) -> SegmentRecord:
    """The segment as it would be with ``text`` as its correction (QA checks what is typed)."""
    from dataclasses import replace

    return replace(record, correction=text) if text else record


def glossary_of(ws: Workspace):
    """The project's glossary, read again only when its file changed."""
    from workbench.store import glossary

    path = glossary.path_of(ws.translations)
    stamp = path.stat().st_mtime_ns if path.is_file() else 0
    return _glossary(str(ws.translations), stamp)


@st.cache_resource(max_entries=4)
def _glossary(translations: str, stamp: int):
    from workbench.store import glossary

    try:
        return glossary.load(Path(translations))
    except glossary.GlossaryError:
        return glossary.Glossary()


def saved(key: str, text: str, record: SegmentRecord) -> None:
    st.session_state[f"{key}-loaded"] = text
    st.session_state[f"{key}-base"] = record.revision


def foreign_segment(ws: Workspace, doc_id: str, record: SegmentRecord, document: OpenDocument) -> None:
    direction = "rtl" if languages.is_rtl(record.lang) else "ltr"
    key, base = editor(doc_id, record)
    spans, marks = document.inline(record)
    with st.container(border=True, key=f"segment-{record.id}"):
        source_column, target_column = st.columns(2)
        with source_column:
            st.badge(f"{record.lang} · {languages.name_of(record.lang)}", color="blue")
            st.caption(f"{record.kind} · {record.start}–{record.end} · {LABELS.get(record.status, record.status)}")
            with st.container(key=f"{direction}-source-{record.id}"):  # right-to-left scripts read right to left
                if spans or marks:  # its links, bold phrases and images as chips (text escaped)
                    st.html(f'<div class="wb-chips" dir="{direction}">{chips.marked(record.source, spans, marks)}</div>')
                else:
                    st.text(record.source)
            terms = glossary_of(ws).find(record.source, record.lang)
            if terms:
                st.caption(plain("Glossary: " + " · ".join(f"{m.term.term} → {m.term.english}" for m in terms)))
        with target_column:
            if record.machine is not None:
                flags = f" · ⚑ {', '.join(record.machine.flags)}" if record.machine.flags else ""
                st.caption(plain(f"machine ({record.machine.model}) · confidence {record.machine.confidence:.2f}{flags}"))
                if spans or marks:
                    english = chips.english_chips(record.source, record.machine.text, record.machine.inline, spans, marks)
                    st.html(f'<div class="wb-chips">{english}</div>')
                else:
                    st.text(record.machine.text)
            elif record.note and not record.correction and not record.note.startswith("no model for "):
                st.warning(plain(record.note))  # a missing model is said once, above the segments
            elif not record.correction:
                st.caption("no machine translation: type one")
            memory_matches(ws, doc_id, record, key)
            if base != record.revision:
                st.info("Changed elsewhere since you started editing. Save to see the conflict, or load the latest version.")
                st.button("Load the latest version", key=f"reset-{record.id}", on_click=drop_draft, args=(ws, doc_id, record.id, key))
            text = st.text_area("Correction", key=key, height=90, on_change=keep_draft, args=(doc_id, record.id, key))
            typed = replace_text(record, text)  # what QA checks, and the chips below
            if record.machine is not None and record.machine.inline:  # the formatting goes on these words: kept or missing
                st.html(f'<div class="wb-chips">{chips.kept_chips(shown_text(typed), record.machine.inline)}</div>')
            if record.draft and text == record.draft:
                st.caption("✎ unsaved draft (kept on disk): Save to make it the correction, or Revert")
                st.button(
                    "Revert",
                    key=f"revert-{record.id}",
                    help="Drop the draft and show the saved text again",
                    on_click=drop_draft,
                    args=(ws, doc_id, record.id, key),
                )
            for issue in qa.check(typed, glossary_of(ws)):
                st.caption(plain(f"QA {issue.severity} · {issue.check}: {issue.message}"))
            show_flash(f"flash-{record.id}")
            save_column, approve_column, more_column = st.columns(3)
            save_column.button("Save", key=f"save-{record.id}", type="primary", on_click=save, args=(ws, doc_id, record, key))
            approve_column.button(
                "Approve",
                key=f"approve-{record.id}",
                help="Alt+A: save what is typed, approve, go on",
                on_click=approve,
                args=(ws, doc_id, record, key),
            )
            more_column.button(
                "More",
                key=f"more-{record.id}",
                help="Status, re-translate, language, split, merge",
                on_click=toggle_tools,
                args=(record.id,),
            )
            copy_machine, copy_source = st.columns(2)
            if record.machine is not None:
                copy_machine.button(
                    "Use machine translation",
                    key=f"use-machine-{record.id}",
                    help="Alt+M",
                    on_click=use_text,
                    args=(doc_id, record.id, key, record.machine.text),
                )
            copy_source.button(
                "Use source text",
                key=f"use-source-{record.id}",
                help="Alt+S: for names, numbers, quotations",
                on_click=use_text,
                args=(doc_id, record.id, key, record.source),
            )
        if st.session_state.get("tools") == record.id:
            segment_tools(ws, doc_id, record, base)


def memory_matches(ws: Workspace, doc_id: str, record: SegmentRecord, key: str) -> None:
    """Fuzzy matches from the translation memory, with a word diff of their source."""
    from workbench.store.memory import shown_diff

    matches = (m for m in memory(ws).fuzzy(record.lang, record.source) if (m.entry.document_id, m.entry.segment_id) != (doc_id, record.id))
    for number, match in enumerate(matches):
        st.caption(plain(f"memory {match.similarity:.0%} ({match.entry.status}, {match.entry.document_id}); its source, against this one:"))
        st.text(shown_diff(match.entry.source, record.source))
        st.text(match.entry.target)
        st.button(
            f"Use this ({match.similarity:.0%})",
            key=f"use-{record.id}-{number}",
            on_click=use_text,
            args=(doc_id, record.id, key, match.entry.target),
        )


def segment_tools(ws: Workspace, doc_id: str, record: SegmentRecord, base: int) -> None:
    with st.container(border=True, key=f"tools-{record.id}"):
        status_column, set_column = st.columns([3, 2])
        current = str(record.status) if str(record.status) in SETTABLE else "reviewed"
        status = status_column.selectbox(
            "Status", SETTABLE, index=SETTABLE.index(current), key=f"status-{record.id}", label_visibility="collapsed"
        )
        if set_column.button("Set status", key=f"set-{record.id}"):
            try:
                updated = ws.set_status(doc_id, record.id, status, base)
                st.session_state[f"correction-{doc_id}-{record.id}-base"] = updated.revision
                flash("success", f"Status set to {status}.")
            except WorkbenchError as error:
                flash("error", f"Not done: {error}")
            st.rerun()
        if st.button("Re-translate", key=f"retranslate-{record.id}"):
            act(ws.retranslate, doc_id, record.id, translator(str(ws.translations)), success="Re-translated.")
            st.rerun()
        relabel_controls(ws, doc_id, record, base)
        second = st.text_input("Split before", help="The first words of the second part, as in the source", key=f"at-{record.id}")
        if st.button("Split", key=f"split-{record.id}"):
            at = record.source.find(second) if second else -1
            if at <= 0:
                flash("error", "Not split: type the first words of the second part exactly as the source has them.")
            else:
                act(ws.split, doc_id, record.id, at, base, translator(str(ws.translations)), success="Split.")
            st.rerun()
        if st.button("Merge with next", key=f"merge-{record.id}"):
            act(ws.merge, doc_id, record.id, base, None, translator(str(ws.translations)), success="Merged.")
            st.rerun()


# -- one document ----------------------------------------------------------------------------


def document_view(ws: Workspace, doc_id: str) -> None:
    try:
        document: OpenDocument = ws.open(doc_id)
    except (StoreError, WorkbenchError) as error:
        st.error(plain(f"This document cannot be opened, and it will not be overwritten: {error}"))
        return
    translation = document.translation
    records = list(translation.segments)
    foreign = [r for r in records if r.status != SOURCE]
    counts = {str(status): sum(r.status == status for r in foreign) for status in LABELS if status != SOURCE}
    st.header(plain(doc_id))
    waiting = [r for r in foreign if needs_review(r)]
    words = sum(len(r.source.split()) for r in foreign)
    st.caption(
        plain(
            f"{translation.path} · {len(records)} segments, {len(foreign)} to translate ({words} words) · "
            + " · ".join(f"{k} {v}" for k, v in counts.items() if v)
        )
    )
    if foreign:
        st.progress((len(foreign) - len(waiting)) / len(foreign), text=plain(f"{len(foreign) - len(waiting)} of {len(foreign)} done"))
    else:
        st.info("Nothing to translate here: every segment is English.")
    missing = sorted({r.note for r in foreign if r.machine is None and not r.correction and r.note.startswith("no model for ")})
    for note in missing:
        st.warning(plain(note))
    if translation.encoding != "utf-8" or translation.encoding_confidence < 1.0:
        st.caption(f"decoded as {translation.encoding} (confidence {translation.encoding_confidence:.2f})")
    for warning in translation.decoding_warnings:
        st.warning(plain(warning))
    if document.text is None:
        st.warning(plain(document.text_problem))
    review_tab, english_tab = st.tabs(["Review", "English rendering"])
    with review_tab:
        controls = st.columns(5)
        show = controls[0].radio("Show", ["needs review", "all"], key="seg-show", help="Segments waiting for you, or every segment")
        show_english = controls[1].toggle("English segments", value=True, key="show-en", disabled=show != "all")
        wanted = controls[2].multiselect("Status", list(counts), key="seg-status")
        order = controls[3].selectbox("Order", ["document", "attention first"], key="seg-order")
        more = st.columns([2, 2, 1])
        langs = sorted({r.lang for r in foreign})
        chosen_langs = more[0].multiselect("Language", langs, format_func=lambda c: f"{c} · {languages.name_of(c)}", key="seg-langs")
        text_filter = more[1].text_input("Text", key="seg-text", help="In the source, the machine translation or the correction")
        flagged_only = more[2].toggle("Flagged only", key="seg-flagged", help="Flagged or low-confidence machine output")
        visible = SegmentFilter(
            needs_review_only=show == "needs review",
            english=show_english,
            statuses=tuple(wanted),
            languages=tuple(chosen_langs),
            flagged_only=flagged_only,
            text=text_filter,
            attention_first=order == "attention first",
        ).apply(records)
        if not visible:
            filtered = wanted or chosen_langs or text_filter.strip() or flagged_only
            st.info(
                "No segment needs review in this document."
                if show == "needs review" and not filtered
                else "No segment matches the filters."
            )
        focus = st.session_state.pop("focus", None)
        pages = max(1, -(-len(visible) // PAGE_SIZE))
        if focus is not None:
            position = next((i for i, r in enumerate(visible) if r.id == focus), 0)
            st.session_state["page"] = position // PAGE_SIZE + 1
        page = controls[4].number_input(f"Page (of {pages})", 1, pages, key="page") if pages > 1 else 1
        for record in visible[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]:
            if record.status == SOURCE:
                english_segment(ws, doc_id, record)
            else:
                foreign_segment(ws, doc_id, record, document)
        flagged = sum(is_flagged(r) for r in foreign)
        low = sum(is_low_confidence(r) for r in foreign)
        if flagged or low:
            st.caption(plain(f"{flagged} flagged, {low} low-confidence segments in this document"))
    with english_tab:
        try:
            rendering = document.rendering()
        except WorkbenchError as error:
            st.warning(plain(str(error)))
        else:
            st.text_area("English", rendering, height=480, disabled=True, key=f"rendering-{doc_id}")
            st.download_button("Download English (.txt)", rendering, file_name=f"{Path(doc_id).name}.en.txt", mime="text/plain")
            for path in rendered_files(ws, doc_id, translation.format):
                st.download_button(f"Download English ({path.suffix})", path.read_bytes(), file_name=path.name, key=f"download-{path.name}")


def project_dashboard(ws: Workspace) -> None:
    from workbench.review.overview import dashboard

    by_status, by_document = dashboard(ws.summaries())
    st.header("Project")
    st.caption("Words of the source text, by the status of their segment (English segments left out).")
    st.bar_chart(by_status, x="status", y="words", horizontal=True, sort=False, height=220)  # in workflow order
    st.dataframe(by_status, hide_index=True)
    st.dataframe(by_document, hide_index=True)
    if not any(row["to review"] for row in by_document):
        st.info("Nothing waits for review in this project.")


def rendered_files(ws: Workspace, doc_id: str, fmt: str) -> list[Path]:
    """The renderings in the document's own format (``.en.html``, ``.en.docx`` …) that exist."""
    from workbench.formats.readers import rendering_names

    return [path for name in rendering_names(doc_id, fmt).values() if (path := ws.translations / name).is_file()]


def authorised(expected: str | None) -> bool:
    """With a ``review_token`` set, the app opens only for whoever brings it: in the address
    (``?token=…``, once per browser session) or typed in."""
    from workbench.review.access import token_accepted

    if not expected or st.session_state.get("authorised"):
        return True
    given = st.query_params.get("token")
    if not token_accepted(expected, given):
        given = st.text_input("Access token", type="password", help="The token printed by `workbench review`.")
    if token_accepted(expected, given):
        st.session_state["authorised"] = True
        return True
    st.info("This review app is protected by an access token: open the address `workbench review` printed, or type the token.")
    return False


KEYS_HELP = """
| keys | in a correction box |
|---|---|
| Ctrl+Enter | save, then go to the next segment |
| Ctrl+↓ / Ctrl+↑ | next / previous segment |
| Alt+A | save what is typed and approve |
| Alt+M / Alt+S | put the machine translation / the source text in the box |
| Alt+1, 2, 3 | put the first, second, third memory match in the box |
| Esc | drop the unsaved draft |
"""


def keyboard() -> None:
    """Install the keyboard shortcuts (static script of the package, no document content)."""
    import json

    script = (Path(__file__).parent / "static" / "keys.js").read_text(encoding="utf-8")
    # The frame (same origin, scripts allowed) adds the script to the page itself, where it
    # outlives the frame. Only this static script of the package goes in: never user content.
    st.iframe(
        "<script>const s = window.parent.document.createElement('script');"
        f"s.textContent = {json.dumps(script)}; window.parent.document.head.appendChild(s);</script>",
        height=1,
    )


def main() -> None:
    st.set_page_config(page_title="Translation Workbench", layout="wide")
    st.markdown(STYLE, unsafe_allow_html=True)  # static CSS, no document content
    keyboard()
    settings = app_settings()
    if not authorised(settings.review_token):
        return
    ws = Workspace(settings.corpus, settings.translations)
    st.session_state.pop("folder-signature", None)  # the files as they are at this run's start
    write_drafts(ws)
    doc_id = sidebar(ws)
    with st.sidebar.expander("Keyboard"):
        st.markdown(KEYS_HELP)
    show_flash()
    if st.session_state.get("dashboard"):
        project_dashboard(ws)
    elif doc_id is not None:
        document_view(ws, doc_id)


main()
