// APK pages: the print button of the report and the full-screen button of the big screen.
// Both need JavaScript, so they stay hidden until this script runs.
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
