// The voortgang page on a phone: fold every phase but the one the team works in, so the page
// stays short, and open a folded phase when a jump link leads to it.
(function () {
  "use strict";
  if (window.matchMedia("(max-width: 40em)").matches) {
    document.querySelectorAll("details.fase-fold:not([data-current])").forEach(function (phase) {
      phase.open = false;
    });
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest(".jump-links a");
    var target = link && document.querySelector(link.getAttribute("href") + " details");
    if (target) {
      target.open = true;
    }
  });
})();
