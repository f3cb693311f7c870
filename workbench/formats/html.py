"""HTML: blocks of text nodes, read with lxml; renderings written into the same tree."""

from __future__ import annotations

import re

from workbench.core.errors import InputError
from workbench.core.limits import DEFAULT_LIMITS, Limits
from workbench.formats.blocks import EnglishOf, Piece, Standalone, collapse

_BLOCK_TAGS = frozenset(
    "address article aside blockquote body caption center dd details dialog div dl dt fieldset figcaption figure footer form "
    "h1 h2 h3 h4 h5 h6 header hr html legend li main nav ol p pre section summary table tbody td tfoot th thead tr ul "
    "title option".split()
)
_SKIPPED_TAGS = frozenset("script style noscript noembed noframes template head svg math iframe object canvas select textarea".split())
# Navigation boilerplate: skipped unless asked for (a header inside an article is the article's).
_BOILERPLATE_TAGS = frozenset("nav footer aside form".split())


def _hidden(element) -> bool:
    style = (element.get("style") or "").replace(" ", "").lower()
    return (
        element.get("hidden") is not None or element.get("aria-hidden") == "true" or "display:none" in style or "visibility:hidden" in style
    )


def _html_tree(data: bytes, path: str):
    import lxml.html

    from workbench.formats.decoding import decode

    decoded = decode(data, path)
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", decoded.text)  # lxml refuses str with an encoding declaration
    try:
        tree = lxml.html.document_fromstring(text)
    except Exception as error:  # lxml raises ParserError or ValueError on no markup at all
        raise InputError(path, f"cannot be parsed as HTML: {error}") from None
    return tree, decoded


def _html_blocks(
    tree, keep_boilerplate: bool = False, max_depth: int = DEFAULT_LIMITS.max_depth, path: str = "page"
) -> list[tuple[object, list[tuple[object, str]]]]:
    """``[(block element, [(node, "text" | "tail"), …])]`` in document order."""
    blocks: list[tuple[object, list]] = []

    def new(owner) -> list:
        pieces: list = []
        blocks.append((owner, pieces))
        return pieces

    def skipped(element) -> bool:
        if not isinstance(element.tag, str):
            return True  # comments, processing instructions
        tag = element.tag.lower()
        if tag in _SKIPPED_TAGS or _hidden(element):
            return True
        if keep_boilerplate:
            return False
        if tag in _BOILERPLATE_TAGS:
            return True
        return tag == "header" and not any(a.tag in ("article", "main") for a in element.iterancestors() if isinstance(a.tag, str))

    def walk(element, pieces: list, owner, depth: int = 0) -> None:
        if depth > max_depth:
            raise InputError(path, f"nests elements more than {max_depth} levels deep")
        tag = element.tag.lower()
        if tag in _BLOCK_TAGS:
            owner, pieces = element, new(element)
        if tag == "img":
            pieces.append((element, _IMAGE))  # its place among the words, for XLIFF's <x/>
        if element.text:
            pieces.append((element, "text"))
        for child in element:
            if not skipped(child):
                walk(child, pieces, owner, depth + 1)
                if isinstance(child.tag, str) and (child.tag.lower() in _BLOCK_TAGS or child.tag.lower() == "br"):
                    pieces = new(owner)  # text after a block (or a line break) is a block of its own
            if child.tail:
                pieces.append((child, "tail"))

    body = tree.find("body")
    walk(body if body is not None else tree, new(tree), tree)
    return [(owner, pieces) for owner, pieces in blocks if collapse([text for text, _ in _pieces(pieces)])]


_IMAGE = "image"  # not a text node: an <img>'s place


def _pieces(pieces) -> list[Piece]:
    """A block's text nodes with their style: the element whose text they are."""
    return [
        ("", Standalone(_IMAGE))
        if attribute == _IMAGE
        else (getattr(node, attribute) or "", node if attribute == "text" else node.getparent())
        for node, attribute in pieces
    ]


def read(data: bytes, path: str, limits: Limits = DEFAULT_LIMITS):
    tree, decoded = _html_tree(data, path)
    blocks = [_pieces(pieces) for _, pieces in _html_blocks(tree, max_depth=limits.max_depth, path=path)]
    return blocks, decoded.encoding, decoded.confidence, decoded.warnings


# Attributes whose value is a URL a browser may follow or run.
_URL_ATTRIBUTES = ("href", "src", "action", "cite", "data", "formaction", "poster", "background", "longdesc", "usemap", "xlink:href")
_RUNNABLE_URL = re.compile(r"^(javascript|vbscript|data:text/html)", re.IGNORECASE)
_INVISIBLE = re.compile(r"[\x00-\x20]+")


def make_inert(tree) -> int:
    """Remove what would run when a rendering is opened: ``<script>`` elements, ``on…``
    event handlers, ``javascript:``/``vbscript:``/``data:text/html`` URLs, ``srcdoc``
    documents and refreshes to such URLs. The text and every other attribute stay. Returns
    how many things were removed."""
    removed = 0
    for script in list(tree.iter("script")):
        parent = script.getparent()
        if parent is None:
            continue
        if script.tail:  # the text after a script belongs to its parent
            previous = script.getprevious()
            if previous is not None:
                previous.tail = (previous.tail or "") + script.tail
            else:
                parent.text = (parent.text or "") + script.tail
        parent.remove(script)
        removed += 1
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in list(element.attrib.items()):
            lowered = name.lower()
            runnable = lowered.startswith("on") or lowered == "srcdoc"
            if not runnable and (lowered in _URL_ATTRIBUTES or lowered.endswith(":href")):
                runnable = bool(_RUNNABLE_URL.match(_INVISIBLE.sub("", value)))
            if not runnable and lowered == "content" and (element.get("http-equiv") or "").lower() == "refresh":
                runnable = "javascript" in _INVISIBLE.sub("", value).lower()
            if runnable:
                del element.attrib[name]
                removed += 1
    return removed


# Elements whose content is raw text to a browser (entities and tags not read): libxml2 would
# escape it on output, changing what the page's scripts read, so it goes back as it was.
_RAW_TEXT = ("noembed", "noframes", "xmp", "plaintext", "iframe")
_DOCTYPE = re.compile(r"^\s*(?:<!--.*?-->\s*)*<!doctype", re.IGNORECASE | re.DOTALL)


def render(data: bytes, path: str, english_of: EnglishOf, keep_active_content: bool = False) -> bytes:
    """The page with each changed text node's English. Comments, the doctype (only if the
    page has one) and raw-text elements stay as they are; ``lang="en"`` goes only where text
    became English (the blocks left as they were keep the language the page gave them). A
    page with nothing changed or removed is returned as it is, byte for byte."""
    import html

    import lxml.html

    tree, decoded = _html_tree(data, path)
    removed = 0 if keep_active_content else make_inert(tree)
    blocks = _html_blocks(tree, path=path)
    english = english_of([_pieces(pieces) for _, pieces in blocks])
    if removed == 0 and all(texts is None for texts in english):
        return data
    page_lang, page_dir = tree.get("lang"), tree.get("dir")
    for (owner, pieces), texts in zip(blocks, english):
        if not isinstance(owner.tag, str) or owner is tree:
            continue
        if texts is None:
            # The page becomes English: what stays untranslated keeps the language it had.
            if page_lang and page_lang != "en" and owner.get("lang") is None:
                owner.set("lang", page_lang)
            if page_dir == "rtl" and owner.get("dir") is None:
                owner.set("dir", "rtl")
            continue
        for (node, attribute), text in zip(pieces, texts):
            if attribute != _IMAGE:
                setattr(node, attribute, text)
        owner.set("lang", "en")
        if owner.get("dir") == "rtl" or page_dir == "rtl":
            owner.set("dir", "ltr")
    if any(texts is not None for texts in english):
        if page_lang or all(texts is not None for texts in english):
            tree.set("lang", "en")
        for element in (tree, tree.find("body")):
            if element is not None and element.get("dir") == "rtl":
                element.set("dir", "ltr")
    declared = False
    for meta in tree.iter("meta"):
        if meta.get("charset"):
            meta.set("charset", "utf-8")
            declared = True
        elif (meta.get("http-equiv") or "").lower() == "content-type":
            # libxml2's serializer drops this form: the HTML5 equivalent says the same.
            for name in ("http-equiv", "content"):
                meta.attrib.pop(name, None)
            meta.set("charset", "utf-8")
            declared = True
    head = tree.find("head")
    if not declared and head is not None:
        meta = lxml.html.Element("meta", charset="utf-8")
        meta.tail = head.text
        head.insert(0, meta)
    # libxml2's HTML serializer percent-escapes spaces in URI attributes ("LA NACION" → "LA%20NACION")
    # and escapes raw text: both wait behind placeholders while it writes, and go back as they were.
    kept: dict[str, str] = {}
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        for name in ("href", "src", "action", "cite", "data", "formaction", "poster", "background", "longdesc", "usemap"):
            value = element.get(name)
            if value is not None and (" " in value or any(ord(char) > 127 for char in value)):
                placeholder = f"workbench-uri-{len(kept)}-{id(tree)}"
                kept[placeholder] = html.escape(value, quote=True)
                element.set(name, placeholder)
        if element.tag.lower() in _RAW_TEXT and element.text and len(element) == 0:
            placeholder = f"workbench-raw-{len(kept)}-{id(tree)}"
            kept[placeholder] = element.text
            element.text = placeholder
    root = tree.getroottree()
    # To text, then UTF-8 here: libxml2 drops or rewrites charset <meta>s when it encodes itself.
    pieces = [lxml.html.tostring(tree, encoding="unicode", method="html")]
    pieces[:0] = [
        lxml.html.tostring(sibling, encoding="unicode", method="html") for sibling in reversed(list(tree.itersiblings(preceding=True)))
    ]
    pieces += [lxml.html.tostring(sibling, encoding="unicode", method="html") for sibling in tree.itersiblings()]
    markup = "".join(pieces)
    if _DOCTYPE.match(decoded.text) and root.docinfo.doctype:  # libxml2 invents one for a page without
        markup = root.docinfo.doctype + "\n" + markup
    for placeholder, value in kept.items():
        markup = markup.replace(placeholder, value, 1)
    return markup.encode("utf-8")
