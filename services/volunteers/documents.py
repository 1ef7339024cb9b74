"""Documents for review: what is accepted (PDF or DOCX, size-limited, checked by content) and who may read them.

The declared content type and the file name are not trusted: the type is the
one the bytes say (magic bytes for PDF, the zip's parts for DOCX). Documents
pass between strangers, so files that can run code (PDF JavaScript or launch
actions, Word macros) are refused.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from services.volunteers.lifecycle import ENGAGED, MatchStatus
from services.volunteers.safety import pair_blocked

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
EXTENSIONS = {PDF: ".pdf", DOCX: ".docx"}
_PDF_ACTIVE = (b"/JavaScript", b"/JS ", b"/JS(", b"/JS<", b"/Launch")
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._ -]+")


class DocumentRefusedError(Exception):
    """The upload is not an acceptable document; ``status`` is the HTTP status to answer."""

    def __init__(self, code: str, status: int, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.status = status
        self.params = params


@dataclass(frozen=True)
class CheckedDocument:
    content_type: str
    filename: str
    size: int
    sha256: str


def _is_docx(data: bytes) -> tuple[bool, bool]:
    """Return (is a Word document, contains macros), reading only the zip's table of contents."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return False, False
    is_word = "word/document.xml" in names and "[Content_Types].xml" in names
    return is_word, any(name.lower().endswith("vbaproject.bin") for name in names)


def detect_type(data: bytes) -> str | None:
    """Return the content type the bytes prove (PDF or DOCX), or None."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"PK\x03\x04") and _is_docx(data)[0]:
        return DOCX
    return None


def safe_filename(name: str | None, content_type: str) -> str:
    """Return a file name safe to show and to send in a header, with the extension of the real type."""
    base = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode()
    base = _UNSAFE_NAME.sub("_", base.replace("\\", "/").rsplit("/", 1)[-1])
    stem = (base.rsplit(".", 1)[0] if "." in base else base)[:80].strip(" ._")
    return (stem or "document") + EXTENSIONS[content_type]


def check_document(data: bytes, filename: str | None, *, max_bytes: int) -> CheckedDocument:
    """Return the checked document, or raise DocumentRefusedError (413 too large, 415 not PDF/DOCX, 422 unsafe)."""
    if not data:
        raise DocumentRefusedError("document_empty", 422)
    if len(data) > max_bytes:
        raise DocumentRefusedError("document_too_large", 413, max_bytes=max_bytes)
    content_type = detect_type(data)
    if content_type is None:
        raise DocumentRefusedError("document_type_not_supported", 415, accepted="PDF, DOCX")
    if content_type == PDF and any(marker in data for marker in _PDF_ACTIVE):
        raise DocumentRefusedError("document_active_content", 422)
    if content_type == DOCX and _is_docx(data)[1]:
        raise DocumentRefusedError("document_active_content", 422)
    return CheckedDocument(
        content_type=content_type,
        filename=safe_filename(filename, content_type),
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def can_read(
    document: Mapping[str, Any],
    user_id: str,
    matches: Iterable[Mapping[str, Any]],
    blocks: Iterable[Mapping[str, Any]],
) -> bool:
    """Return True when the person may read the document: its owner, or the other side of an engaged match.

    A document to review belongs to a request: the volunteer of a match on that
    request may read it once they accepted, until the match ends without help.
    A returned review belongs to a match: its job seeker may read it. Never
    across a blocked pair (``blocks``: the blocks between the reader and the owner).
    """
    if document["owner"] == user_id:
        return True
    blocks = list(blocks)
    for match in matches:
        if MatchStatus(match["status"]) not in ENGAGED or pair_blocked(match, blocks):
            continue
        if document.get("match_id") is not None:
            if match["_id"] == document["match_id"] and match.get("subject") == user_id:
                return True
        elif match["request_id"] == document.get("request_id") and match.get("volunteer") == user_id:
            return True
    return False
