"""One source file through the text stages: decode -> clean -> structure -> sidecar ->
annotate (the sidecar's notes and key sentences found in the text).

Pure: bytes in, Speech out. Reading files happens in generate.py and cli.py.
"""

from __future__ import annotations

from .annotate import annotate
from .clean import clean
from .decode import decode
from .model import Sidecar, Speech
from .sidecar import apply_sidecar, check_line_selectors
from .structure import structure


def process(data: bytes, *, name: str, slug: str, sidecar: Sidecar | None = None) -> Speech:
    """Turn the raw bytes of one speech into a structured, cleaned Speech.

    ``name`` is used in error messages (e.g. ``sources/x.txt``); ``slug`` is the page slug.
    """
    decoded = decode(data, name)
    if sidecar is not None:
        check_line_selectors(sidecar, decoded.text, name)
    keep = sidecar.keep if sidecar else ()
    drop = sidecar.drop if sidecar else ()
    cleaned = clean(decoded.text, keep=keep, drop=drop)
    speech = structure(cleaned, slug=slug, source_name=name, encoding=decoded.encoding)
    if sidecar is not None:
        speech = annotate(apply_sidecar(speech, sidecar), sidecar)
    return speech
