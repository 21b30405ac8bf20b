// The "Print of bewaar als PDF" button of the project report. It needs JavaScript, so it stays
// hidden until this script runs; the page also tells how to print without it.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
