// Move focus to a form's error summary when the page loads with one, so a screen reader
// announces the errors and a keyboard user can follow the links to the fields.
// A file, not an inline script: the Content-Security-Policy allows scripts from 'self' only.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();
});
