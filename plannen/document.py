"""The plan as an editable DOCX file, written with python-docx (maintained, MIT licence, and it
reads its own files back, so the tests can open what they download)."""

from __future__ import annotations

import re

from django.utils import formats
from django.utils.translation import gettext as _
from docx import Document

_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(\*\*|__|\*|_)(.+?)\1")


def plain(markdown_line: str) -> str:
    """The words of a Markdown line: links keep their text, emphasis marks go."""
    return _EMPHASIS.sub(r"\2", _LINK.sub(r"\1", markdown_line)).strip()


def add_markdown(doc, text: str) -> None:
    """Paragraphs, list items and quotes of a chapter text, as Word paragraphs."""
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [line for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        if all(line.lstrip().startswith(">") for line in lines):
            doc.add_paragraph(plain(" ".join(line.lstrip()[1:] for line in lines)), style="Quote")
        elif all(re.match(r"\s*([-*+]|\d+[.)])\s", line) for line in lines):
            for line in lines:
                numbered = re.match(r"\s*\d", line) is not None
                item = re.sub(r"^\s*([-*+]|\d+[.)])\s+", "", line)
                doc.add_paragraph(plain(item), style="List Number" if numbered else "List Bullet")
        else:
            doc.add_paragraph(plain(" ".join(line.strip() for line in lines)))


def which_text(versie, last_versie, made_at) -> list[str]:
    """The lines that say which text the document holds: a draft must never look like a
    recorded version (the print page says the same)."""
    if versie is not None:
        return [
            _("%(kind)s, vastgelegd op %(date)s door %(who)s. Deze tekst verandert niet meer.")
            % {
                "kind": versie.get_kind_display(),
                "date": formats.date_format(versie.frozen_at, "j F Y"),
                "who": versie.frozen_by or _("onbekend"),
            }
        ]
    lines = [
        _("Concept: de tekst van %(date)s. Dit is geen vastgelegde versie.")
        % {"date": formats.date_format(made_at, "j F Y")}
    ]
    if last_versie is not None:
        lines.append(
            _(
                "De laatste vastgelegde versie is de %(kind)s van %(date)s, door %(who)s. "
                "Daarna kan de tekst veranderd zijn."
            )
            % {
                "kind": last_versie.get_kind_display().lower(),
                "date": formats.date_format(last_versie.frozen_at, "j F Y"),
                "who": last_versie.frozen_by or _("onbekend"),
            }
        )
    return lines


def write_docx(out, *, project, versie, last_versie, chapters, quotes, progress, made_at, **_unused) -> None:
    doc = Document()
    doc.core_properties.title = _("Wijkuitvoeringsplan %(name)s") % {"name": project.name}
    doc.add_heading(_("Wijkuitvoeringsplan %(name)s") % {"name": project.name}, level=0)
    doc.add_paragraph(
        _("Gemeente %(gemeente)s. Gemaakt op %(date)s.")
        % {"gemeente": project.gemeente.name, "date": formats.date_format(made_at, "j F Y")}
    )
    for line in which_text(versie, last_versie, made_at):
        doc.add_paragraph(line)
    for number, chapter in enumerate(chapters, start=1):
        doc.add_heading(f"{number}. {chapter['title']}", level=1)
        if chapter["text"].strip():
            add_markdown(doc, chapter["text"])
        else:
            doc.add_paragraph(_("Dit hoofdstuk is nog niet geschreven."))

    doc.add_heading(_("Bijlage: geciteerde besluiten"), level=1)
    if quotes:
        for citaat in quotes:
            entry = citaat.entry
            doc.add_paragraph(
                f"{formats.date_format(entry.created_at, 'j F Y')}: {entry.title} "
                f"({entry.get_kind_display().lower()}, {_('hoofdstuk')} {citaat.tekst.hoofdstuk.title})",
                style="List Bullet",
            )
    else:
        doc.add_paragraph(_("Het plan citeert nog geen besluiten."))

    doc.add_heading(_("Bijlage: voortgang per fase"), level=1)
    doc.add_paragraph(_("Zo staat het project ervoor op %(date)s.") % {"date": formats.date_format(made_at, "j F Y")})
    labels = [_("Fase"), _("Afgerond"), _("Bezig"), _("Niet gestart"), _("Niet van toepassing")]
    table = doc.add_table(rows=1, cols=len(labels))
    table.style = "Table Grid"
    for cell, label in zip(table.rows[0].cells, labels, strict=True):
        cell.text = label
    for fase, tally in progress.fasen:
        values = [f"{fase.number}. {fase.name}", tally.done, tally.busy, tally.open, tally.nvt]
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.text = str(value)
    doc.save(out)
