"""Documents for review: PDF or DOCX proven by their bytes, size-limited, readable by the owner and the
matched volunteer only."""

from __future__ import annotations

import io
import zipfile

import pytest

from services.volunteers.documents import DOCX, PDF, DocumentRefusedError, can_read, check_document, safe_filename

LIMIT = 5_000_000
PDF_BYTES = b"%PDF-1.7\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def docx(*, extra: dict[str, bytes] | None = None, word: bool = True) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        if word:
            archive.writestr("word/document.xml", "<w:document/>")
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_a_pdf_and_a_docx_are_accepted_whatever_their_declared_name() -> None:
    checked = check_document(PDF_BYTES, "mon cv.docx", max_bytes=LIMIT)
    assert checked.content_type == PDF and checked.filename == "mon cv.pdf" and checked.size == len(PDF_BYTES)
    assert check_document(docx(), "Lettre.DOCX", max_bytes=LIMIT).content_type == DOCX


@pytest.mark.parametrize(
    ("data", "code", "status"),
    [
        (b"", "document_empty", 422),
        (b"MZ\x90\x00 an executable renamed cv.pdf", "document_type_not_supported", 415),
        (b"PK\x03\x04 not really a zip", "document_type_not_supported", 415),
        (docx(word=False), "document_type_not_supported", 415),  # a zip, but not a Word document
        (
            PDF_BYTES.replace(b"endobj", b"/OpenAction<</S/JavaScript/JS(app.alert(1))>>endobj"),
            "document_active_content",
            422,
        ),
        (docx(extra={"word/vbaProject.bin": b"macro"}), "document_active_content", 422),
    ],
)
def test_other_files_are_refused_with_a_reason(data: bytes, code: str, status: int) -> None:
    with pytest.raises(DocumentRefusedError) as refused:
        check_document(data, "cv.pdf", max_bytes=LIMIT)
    assert (refused.value.code, refused.value.status) == (code, status)


def test_the_size_is_limited() -> None:
    with pytest.raises(DocumentRefusedError) as refused:
        check_document(PDF_BYTES + b" " * LIMIT, "cv.pdf", max_bytes=LIMIT)
    assert (refused.value.code, refused.value.status) == ("document_too_large", 413)


def test_file_names_are_made_safe() -> None:
    assert safe_filename("../../etc/passwd", PDF) == "passwd.pdf"
    assert safe_filename('CV "Hélène" <2026>.pdf', PDF) == "CV _Helene_ _2026.pdf"
    assert safe_filename(None, DOCX) == "document.docx"


TO_REVIEW = {"_id": "doc_1", "owner": "u_seeker", "request_id": "rq_1", "match_id": None}
REVIEW = {"_id": "doc_2", "owner": "u_volunteer", "request_id": "rq_1", "match_id": "mt_1"}


def match(status: str, volunteer: str = "u_volunteer", match_id: str = "mt_1") -> dict[str, str]:
    return {"_id": match_id, "request_id": "rq_1", "subject": "u_seeker", "volunteer": volunteer, "status": status}


def test_the_owner_and_the_engaged_volunteer_read_the_document_to_review() -> None:
    assert can_read(TO_REVIEW, "u_seeker", [], [])
    assert can_read(TO_REVIEW, "u_volunteer", [match("accepted")], [])
    assert can_read(TO_REVIEW, "u_volunteer", [match("completed")], [])
    assert not can_read(TO_REVIEW, "u_volunteer", [match("proposed")], [])  # not before accepting
    for ended in ("declined", "expired", "lapsed", "closed", "cancelled"):
        assert not can_read(TO_REVIEW, "u_volunteer", [match(ended)], [])
    assert not can_read(TO_REVIEW, "u_stranger", [match("accepted")], [])


def test_a_returned_review_is_read_by_its_volunteer_and_the_job_seeker_of_that_match_only() -> None:
    assert can_read(REVIEW, "u_volunteer", [], [])
    assert can_read(REVIEW, "u_seeker", [match("in-progress")], [])
    assert not can_read(REVIEW, "u_seeker", [match("closed")], [])
    # Another volunteer later on the same request does not read the first one's review.
    later = match("accepted", volunteer="u_other", match_id="mt_2")
    assert not can_read(REVIEW, "u_other", [match("lapsed"), later], [])


def test_no_document_is_read_across_a_blocked_pair_even_after_the_help() -> None:
    by_seeker = [{"blocker": "u_seeker", "blocked": "u_volunteer"}]
    by_volunteer = [{"blocker": "u_volunteer", "blocked": "u_seeker"}]
    for blocks in (by_seeker, by_volunteer):
        assert not can_read(TO_REVIEW, "u_volunteer", [match("completed")], blocks)
        assert not can_read(REVIEW, "u_seeker", [match("completed")], blocks)
        assert can_read(TO_REVIEW, "u_seeker", [match("completed")], blocks)  # their own file stays theirs
    # A block between other people does not cut this pair off.
    elsewhere = [{"blocker": "u_seeker", "blocked": "u_other"}]
    assert can_read(TO_REVIEW, "u_volunteer", [match("completed")], elsewhere)
