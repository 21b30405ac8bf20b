"""{% field_widget field %}: a form field's widget with the NL Design System classes and the
ARIA links that templates/_form_fields.html relies on.

An invalid field gets aria-invalid="true" and the utrecht "--invalid" modifier; its
aria-describedby names the help text and the error message, so a screen reader reads both.
"""

from __future__ import annotations

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

register = template.Library()

# input_type (or the widget's template) -> the Utrecht component class for it
NLDS_CLASSES = {
    "checkbox": "utrecht-checkbox utrecht-checkbox--html-input",
    "radio": "utrecht-radio-button utrecht-radio-button--html-input",
    "select": "utrecht-select utrecht-select--html-select",
    "textarea": "utrecht-textarea utrecht-textarea--html-textarea",
    "file": "",
}


def _component(field: BoundField) -> str:
    widget = field.field.widget
    input_type = getattr(widget, "input_type", None)
    if input_type in NLDS_CLASSES:
        return input_type
    if widget.template_name.endswith(("select.html", "select_date.html")):
        return "select"
    if widget.template_name.endswith("textarea.html"):
        return "textarea"
    return "textbox"


@register.simple_tag
def field_widget(field: BoundField) -> SafeString:
    component = _component(field)
    invalid = bool(field.errors)
    classes = [field.field.widget.attrs.get("class", "")]
    if component == "textbox":
        classes.append("utrecht-textbox utrecht-textbox--html-input")
    else:
        classes.append(NLDS_CLASSES[component])
    if invalid and component in ("textbox", "select", "textarea"):
        classes.append(f"utrecht-{component}--invalid")
    attrs: dict[str, str] = {"class": " ".join(c for c in classes if c)}
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}_helptext")
    if invalid:
        described_by.append(f"{field.auto_id}_error")
        attrs["aria-invalid"] = "true"
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return field.as_widget(attrs=attrs)
