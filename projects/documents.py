"""Which files the logbook accepts. The type is read from the first bytes of the file, not
from its name, so a renamed program or web page is refused."""

from __future__ import annotations

import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

# (file name suffixes, the bytes such a file starts with)
SIGNATURES = [
    ({".pdf"}, b"%PDF-"),
    ({".png"}, b"\x89PNG\r\n\x1a\n"),
    ({".jpg", ".jpeg"}, b"\xff\xd8\xff"),
    ({".doc", ".xls", ".ppt"}, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),  # the old Office format
]
# The newer Office formats and OpenDocument are zip files with a telltale member.
ZIP_FORMATS = {
    ".docx": "word/",
    ".xlsx": "xl/",
    ".pptx": "ppt/",
    ".odt": "mimetype",
    ".ods": "mimetype",
    ".odp": "mimetype",
}
ZIP_MAGIC = b"PK\x03\x04"

CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
    ".ppt": "application/vnd.ms-powerpoint",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".odp": "application/vnd.oasis.opendocument.presentation",
}


def suffix_of(name: str) -> str:
    return "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""


def content_matches(upload: UploadedFile, suffix: str) -> bool:
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    for suffixes, magic in SIGNATURES:
        if suffix in suffixes:
            return head.startswith(magic)
    if suffix in ZIP_FORMATS and head.startswith(ZIP_MAGIC):
        try:
            with zipfile.ZipFile(upload) as archive:
                names = archive.namelist()
        except zipfile.BadZipFile:
            return False
        finally:
            upload.seek(0)
        return any(name.startswith(ZIP_FORMATS[suffix]) for name in names)
    return False


def check_document(upload: UploadedFile) -> None:
    """Raise a ValidationError with a Dutch message when the logbook must not keep this file."""
    limit = settings.MAX_UPLOAD_MB * 1024 * 1024
    if upload.size > limit:
        raise ValidationError(
            _("Dit bestand is te groot (%(size)s MB). Het mag hoogstens %(limit)s MB zijn.")
            % {"size": round(upload.size / 1024 / 1024, 1), "limit": settings.MAX_UPLOAD_MB}
        )
    suffix = suffix_of(upload.name)
    if suffix not in CONTENT_TYPES:
        raise ValidationError(
            _("Dit soort bestand kan niet in het logboek. Kies een PDF, Office- of OpenDocument-bestand, PNG of JPG.")
        )
    if not content_matches(upload, suffix):
        raise ValidationError(_("De inhoud van dit bestand past niet bij de naam %(name)s.") % {"name": upload.name})
