"""A readable change history in the admin (django-simple-history).

simple-history lists every field whose stored value differs and cuts long texts at
"[605 chars]". Editors need to see what they changed: only fields that changed in a way a
reader can see (not the timestamp, not a line ending the browser added, not the order of a
list), and for a text the changed words with a little context around them.
"""

from __future__ import annotations

import difflib
from typing import Any

from django.db.models import ManyToManyField
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from simple_history.models import ModelChange, ModelDelta
from simple_history.template_utils import HistoricalRecordContextHelper

# Fields that change on every save and say nothing to an editor.
NOT_SHOWN = frozenset({"updated_at", "created_at", "search_vector"})
CONTEXT_WORDS = 8  # unchanged words shown either side of a change


def _comparable(value: Any) -> Any:
    if isinstance(value, str):
        return " ".join(value.split())  # "\r\n" from a browser textarea is no change
    if isinstance(value, list):
        return sorted(str(item) for item in value)
    return value


def word_diff(old: str, new: str) -> SafeString:
    """The new text with removed words in <del> and added words in <ins>; long runs of
    unchanged words are shortened to their first and last few words around "…"."""
    old_words, new_words = old.split(), new.split()
    parts: list[str] = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    opcodes = matcher.get_opcodes()
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            words = old_words[i1:i2]
            first, last = index == 0, index == len(opcodes) - 1
            keep_start = 0 if first else CONTEXT_WORDS
            keep_end = 0 if last else CONTEXT_WORDS
            if len(words) > keep_start + keep_end + 1:
                words = [*words[:keep_start], "…", *words[len(words) - keep_end :]]
            parts.append(escape(" ".join(words)))
            continue
        if i2 > i1:
            parts.append(str(format_html("<del>{}</del>", " ".join(old_words[i1:i2]))))
        if j2 > j1:
            parts.append(str(format_html("<ins>{}</ins>", " ".join(new_words[j1:j2]))))
    return mark_safe(" ".join(part for part in parts if part))  # every part is escaped above


class ReadableHistoryHelper(HistoricalRecordContextHelper):
    def context_for_delta_changes(self, delta: ModelDelta) -> list[dict[str, Any]]:
        context = []
        for change in delta.changes:
            if change.field in NOT_SHOWN:
                continue
            old = self.prepare_delta_change_value(change, change.old)
            new = self.prepare_delta_change_value(change, change.new)
            if _comparable(old) == _comparable(new):
                continue
            label = capfirst(self.model._meta.get_field(change.field).verbose_name)
            if (
                isinstance(old, str)
                and isinstance(new, str)
                and not isinstance(self.model._meta.get_field(change.field), ManyToManyField)
            ):
                context.append({"field": label, "diff": word_diff(old, new)})
            else:
                old, new = (", ".join(map(str, v)) if isinstance(v, list) else v for v in (old, new))
                old_text, new_text = self.stringify_delta_change_values(change, old, new)
                context.append({"field": label, "old": old_text, "new": new_text})
        return context

    def prepare_delta_change_value(self, change: ModelChange, value: Any) -> Any:
        prepared = super().prepare_delta_change_value(change, value)
        if isinstance(self.model._meta.get_field(change.field), ManyToManyField):
            return sorted(prepared, key=str)
        return prepared
