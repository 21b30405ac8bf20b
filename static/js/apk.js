// APK pages: the print button of the report and the full-screen button of the big screen.
// Both need JavaScript, so they stay hidden until this script runs.

// htmx copies the style attribute of an element it replaces onto the new one ("settling"). When
// something outside our markup left one there (a browser extension, an autofill, a test tool
// hiding the caret), that copy breaks the Content-Security-Policy (style-src 'self') and the
// browser logs an error on every poll. Our markup has no style attributes, so nothing to settle.
if (window.htmx) {
  htmx.config.attributesToSettle = htmx.config.attributesToSettle.filter((name) => name !== "style");
}
document.querySelectorAll("[data-apk-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});

document.querySelectorAll("[data-apk-fullscreen]").forEach((button) => {
  if (!document.fullscreenEnabled) return;
  button.hidden = false;
  button.addEventListener("click", () => {
    if (document.fullscreenElement) {
      document.exitFullscreen();
    } else {
      document.documentElement.requestFullscreen();
    }
  });
});
