"""The review app (Streamlit). Thin: every decision is made in workbench.review.workspace.

Run it with ``workbench review``. Document text is shown as inert text: never as HTML.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import streamlit as st

from workbench.core import languages
from workbench.core.errors import WorkbenchError
from workbench.review.overview import attention_order, is_flagged, is_low_confidence
from workbench.review.workspace import ConflictError, OpenDocument, Workspace
from workbench.store.files import SOURCE, SegmentRecord, StoreError
from workbench.store.workflow import LABELS
from workbench.store.workflow import SETTABLE as SETTABLE_STATUSES

SETTABLE = [str(status) for status in SETTABLE_STATUSES]

PAGE_SIZE = 25
# Static styling only (no document content): right-to-left segments, compact English ones.
STYLE = """
<style>
[class*="st-key-rtl-"] { align-items: flex-end; }
[class*="st-key-rtl-"] [data-testid="stText"] { direction: rtl; text-align: right; unicode-bidi: plaintext; }
[class*="st-key-en-"] { opacity: 0.75; }
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
    from workbench.translate.run import TranslateSettings

    return RecordTranslator(TranslateSettings.from_settings(replace(app_settings(), translations=Path(translations))))


@st.cache_resource(max_entries=4)
def _memory(translations: str, signature: tuple):
    from workbench.store.memory import TranslationMemory

    return TranslationMemory.from_folder(Path(translations))


def memory(ws: Workspace):
    """The translation memory, rebuilt only when a translations file changed."""
    files = sorted(ws.translations.rglob("*.json")) if ws.translations.is_dir() else []
    signature = tuple((str(path), path.stat().st_mtime_ns) for path in files)
    return _memory(str(ws.translations), signature)


def flash(kind: str, message: str) -> None:
    st.session_state["flash"] = (kind, message)


def show_flash() -> None:
    if "flash" in st.session_state:
        kind, message = st.session_state.pop("flash")
        getattr(st, kind)(message)


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
        st.sidebar.info(f"No translated documents in {ws.translations}/. Run `workbench translate` first.")
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

    def label(doc_id: str) -> str:
        summary = next(s for s in summaries if s.id == doc_id)
        if summary.error:
            return f"⚠ {doc_id} (unreadable)"
        flags = f" · ⚑{summary.flagged}" if summary.flagged else ""
        return f"{doc_id} — {summary.done}/{summary.to_review} done{flags}"

    ids = [s.id for s in visible]
    if not ids:
        st.sidebar.warning("No document matches the filters.")
        return None
    current = st.session_state.get("doc")
    index = ids.index(current) if current in ids else 0
    doc_id = st.sidebar.radio("Documents", ids, index=index, format_func=label, key="doc-radio")
    st.session_state["doc"] = doc_id

    query = st.sidebar.text_input("Search sources and translations", key="search")
    if query.strip():
        hits = ws.search(query)
        st.sidebar.caption(f"{len(hits)} hits")
        for number, hit in enumerate(hits[:30]):
            if st.sidebar.button(f"{hit.document_id}: {hit.snippet[:60]}", key=f"hit-{number}-{hit.document_id}-{hit.segment_id}"):
                st.session_state["doc"] = hit.document_id
                st.session_state["focus"] = hit.segment_id
                st.rerun()
    return doc_id


# -- one segment ---------------------------------------------------------------------------


def english_segment(ws: Workspace, doc_id: str, record: SegmentRecord) -> None:
    with st.container(key=f"en-{record.id}"):
        left, right = st.columns([12, 1])
        left.text(record.source)
        with right.popover("⋯"):
            relabel_controls(ws, doc_id, record, record.revision)


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
    untouched = st.session_state.get(key) == st.session_state.get(loaded_key)
    suggestion = st.session_state.pop(f"{key}-use", None)
    if suggestion is not None:
        st.session_state[key] = suggestion  # a memory match, to edit and save
    elif (
        key not in st.session_state
        or st.session_state.pop(f"{key}-reset", False)
        or (untouched and (st.session_state.get(base_key) != record.revision or st.session_state.get(loaded_key) != on_disk))
    ):
        st.session_state[key] = on_disk
        st.session_state[loaded_key] = on_disk
        st.session_state[base_key] = record.revision
        st.session_state[f"status-{record.id}"] = str(record.status) if record.status in SETTABLE else "edited"
    return key, st.session_state[base_key]


def saved(key: str, text: str, record: SegmentRecord) -> None:
    st.session_state[f"{key}-loaded"] = text
    st.session_state[f"{key}-base"] = record.revision


def foreign_segment(ws: Workspace, doc_id: str, record: SegmentRecord) -> None:
    direction = "rtl" if languages.is_rtl(record.lang) else "ltr"
    key, base = editor(doc_id, record)
    with st.container(border=True, key=f"segment-{record.id}"):
        source_column, target_column = st.columns(2)
        with source_column:
            st.badge(f"{record.lang} · {languages.name_of(record.lang)}", color="blue")
            st.caption(f"{record.kind} · {record.start}–{record.end} · {LABELS.get(record.status, record.status)}")
            with st.container(key=f"{direction}-source-{record.id}"):  # right-to-left scripts read right to left
                st.text(record.source)
        with target_column:
            if record.machine is not None:
                flags = f" · ⚑ {', '.join(record.machine.flags)}" if record.machine.flags else ""
                st.caption(f"machine ({record.machine.model}) · confidence {record.machine.confidence:.2f}{flags}")
                st.text(record.machine.text)
            elif record.note:
                st.warning(record.note)
            for number, match in enumerate(
                m for m in memory(ws).fuzzy(record.lang, record.source) if (m.entry.document_id, m.entry.segment_id) != (doc_id, record.id)
            ):
                st.caption(f"memory {match.similarity:.0%} ({match.entry.status}, {match.entry.document_id})")
                st.text(match.entry.target)
                if st.button("Use this", key=f"use-{record.id}-{number}"):
                    st.session_state[f"{key}-use"] = match.entry.target
                    st.rerun()
            if base != record.revision:
                st.info("Changed elsewhere since you started editing. Save to see the conflict, or load the latest version.")
                if st.button("Load the latest version", key=f"reset-{record.id}"):
                    st.session_state[f"{key}-reset"] = True
                    st.rerun()
            text = st.text_area("Correction", key=key, height=90)
            save_column, status_column, set_column, more_column = st.columns([2, 3, 2, 1])
            if save_column.button("Save", key=f"save-{record.id}", type="primary"):
                try:
                    saved(key, text, ws.save_correction(doc_id, record.id, text, base))
                    flash("success", "Correction saved.")
                except ConflictError as error:
                    flash("error", f"Not saved: {error}")
                except WorkbenchError as error:
                    flash("error", f"Not saved: {error}")
                st.rerun()
            status = status_column.selectbox("Status", SETTABLE, key=f"status-{record.id}", label_visibility="collapsed")
            if set_column.button("Set status", key=f"set-{record.id}"):
                try:
                    updated = ws.set_status(doc_id, record.id, status, base)
                    st.session_state[f"{key}-base"] = updated.revision
                    flash("success", f"Status set to {status}.")
                except WorkbenchError as error:
                    flash("error", f"Not done: {error}")
                st.rerun()
            with more_column.popover("⋯"):
                if st.button("Re-translate", key=f"retranslate-{record.id}"):
                    act(ws.retranslate, doc_id, record.id, translator(str(ws.translations)), success="Re-translated.")
                    st.rerun()
                relabel_controls(ws, doc_id, record, base)
                at = st.number_input(
                    "Split at character", 1, max(1, len(record.source) - 1), value=max(1, len(record.source) // 2), key=f"at-{record.id}"
                )
                if st.button("Split", key=f"split-{record.id}"):
                    act(ws.split, doc_id, record.id, int(at), base, translator(str(ws.translations)), success="Split.")
                    st.rerun()
                if st.button("Merge with next", key=f"merge-{record.id}"):
                    act(ws.merge, doc_id, record.id, base, None, translator(str(ws.translations)), success="Merged.")
                    st.rerun()


# -- one document ----------------------------------------------------------------------------


def document_view(ws: Workspace, doc_id: str) -> None:
    try:
        document: OpenDocument = ws.open(doc_id)
    except (StoreError, WorkbenchError) as error:
        st.error(f"This document cannot be opened, and it will not be overwritten: {error}")
        return
    translation = document.translation
    records = list(translation.segments)
    foreign = [r for r in records if r.status != SOURCE]
    counts = {str(status): sum(r.status == status for r in foreign) for status in LABELS if status != SOURCE}
    st.header(doc_id)
    st.caption(
        f"{translation.path} · {len(records)} segments, {len(foreign)} to translate · "
        + " · ".join(f"{k} {v}" for k, v in counts.items() if v)
    )
    if translation.encoding != "utf-8" or translation.encoding_confidence < 1.0:
        st.caption(f"decoded as {translation.encoding} (confidence {translation.encoding_confidence:.2f})")
    for warning in translation.decoding_warnings:
        st.warning(warning)
    if document.text is None:
        st.warning(document.text_problem)
    review_tab, english_tab = st.tabs(["Review", "English rendering"])
    with review_tab:
        controls = st.columns(4)
        show_english = controls[0].toggle("Show English segments", value=True, key="show-en")
        wanted = controls[1].multiselect("Status", list(counts), key="seg-status")
        order = controls[2].selectbox("Order", ["document", "attention first"], key="seg-order")
        visible = [r for r in records if (show_english or r.status != SOURCE) and (not wanted or r.status in wanted)]
        if order == "attention first":
            visible = sorted((r for r in visible if r.status != SOURCE), key=attention_order)
        focus = st.session_state.pop("focus", None)
        pages = max(1, -(-len(visible) // PAGE_SIZE))
        if focus is not None:
            position = next((i for i, r in enumerate(visible) if r.id == focus), 0)
            st.session_state["page"] = position // PAGE_SIZE + 1
        page = controls[3].number_input(f"Page (of {pages})", 1, pages, key="page") if pages > 1 else 1
        for record in visible[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]:
            if record.status == SOURCE:
                english_segment(ws, doc_id, record)
            else:
                foreign_segment(ws, doc_id, record)
        flagged = sum(is_flagged(r) for r in foreign)
        low = sum(is_low_confidence(r) for r in foreign)
        if flagged or low:
            st.caption(f"{flagged} flagged, {low} low-confidence segments in this document")
    with english_tab:
        try:
            rendering = document.rendering()
        except WorkbenchError as error:
            st.warning(str(error))
        else:
            st.text_area("English", rendering, height=480, disabled=True, key=f"rendering-{doc_id}")
            st.download_button("Download English (.txt)", rendering, file_name=f"{Path(doc_id).name}.en.txt", mime="text/plain")
            for path in rendered_files(ws, doc_id, translation.format):
                st.download_button(f"Download English ({path.suffix})", path.read_bytes(), file_name=path.name, key=f"download-{path.name}")


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


def main() -> None:
    st.set_page_config(page_title="Translation Workbench", layout="wide")
    st.markdown(STYLE, unsafe_allow_html=True)  # static CSS, no document content
    settings = app_settings()
    if not authorised(settings.review_token):
        return
    ws = Workspace(settings.corpus, settings.translations)
    doc_id = sidebar(ws)
    show_flash()
    if doc_id is not None:
        document_view(ws, doc_id)


main()
