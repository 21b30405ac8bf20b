// The voortgang page. On a phone: fold every phase but the one the team works in, so the page
// stays short, and open a folded phase when a jump link leads to it. Everywhere: say when a
// card's new status is chosen, so that htmx saves it (the select's hx-trigger).
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

  // Picked with the mouse or by touch, a status is chosen at once. With the keyboard, the arrow
  // keys step through the options of a closed list and the browser reports every step as a
  // change; saving each would write every step into the timeline. So a choice made with the
  // keyboard counts when the user presses Enter or leaves the list.
  var CHOICE = "select[data-status-choice]";

  function choose(select) {
    delete select.dataset.unsaved;
    htmx.trigger(select, "status-chosen");
  }

  document.addEventListener("keydown", function (event) {
    var select = event.target.closest(CHOICE);
    if (!select) {
      return;
    }
    if (event.key === "Enter" && select.dataset.unsaved) {
      event.preventDefault();
      choose(select);
    } else {
      select.dataset.keyboard = "yes";
    }
  });
  document.addEventListener("pointerdown", function (event) {
    var select = event.target.closest(CHOICE);
    if (select) {
      delete select.dataset.keyboard;
    }
  });
  document.addEventListener("change", function (event) {
    var select = event.target.closest(CHOICE);
    if (!select) {
      return;
    }
    if (select.dataset.keyboard) {
      select.dataset.unsaved = "yes";
    } else {
      choose(select);
    }
  });
  document.addEventListener("focusout", function (event) {
    var select = event.target.closest(CHOICE);
    if (select && select.dataset.unsaved) {
      choose(select);
    }
  });
})();
