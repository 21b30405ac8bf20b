// Move focus to a form's error summary when the page loads with one, so a screen reader
// announces the errors and a keyboard user can follow the links to the fields.
// A file, not an inline script: the Content-Security-Policy allows scripts from 'self' only.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();
});

// A form marked data-warn-unsaved asks before the page is left with typed text that was not
// sent (a link such as "Terug naar het plan", closing the tab). The browser asks in its own
// words, in the user's language; a site cannot change them. "changed" marks a form that
// already holds unsaved text when the page loads (after a refused save).
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("form[data-warn-unsaved]").forEach((form) => {
    let unsaved = form.dataset.warnUnsaved === "changed";
    form.addEventListener("input", () => {
      unsaved = true;
    });
    form.addEventListener("submit", () => {
      unsaved = false;
    });
    window.addEventListener("beforeunload", (event) => {
      if (!unsaved) return;
      event.preventDefault();
      event.returnValue = ""; // older browsers ask only when this is set
    });
  });
});
