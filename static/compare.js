// Keyboard stepping through a comparison: n / j = next change, p / k = previous change. A long
// comparison is read in parts: past the last change of this part, the key follows the link of
// its "next change" arrow to the part holding it (and the same backwards).
(function () {
  "use strict";
  var changes = Array.prototype.slice.call(document.querySelectorAll("[data-change]"));
  if (!changes.length) return;
  var current = changes.findIndex(function (el) { return "#" + el.id === location.hash; });
  function go(index) {
    current = Math.max(0, Math.min(changes.length - 1, index));
    var target = changes[current];
    history.replaceState(null, "", "#" + target.id);
    target.scrollIntoView({ block: "center" });
    changes.forEach(function (el) { el.classList.remove("current-change"); });
    target.classList.add("current-change");
  }
  function beyond(edge, label) {
    var link = edge.querySelector('a[aria-label="' + label + '"]');
    if (!link || link.getAttribute("href").charAt(0) === "#") return false;
    window.location.href = link.href;
    return true;
  }
  document.addEventListener("keydown", function (event) {
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "select" || tag === "textarea" || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "n" || event.key === "j") {
      if (current === changes.length - 1 && beyond(changes[current], "Next change")) return;
      go(current + 1); event.preventDefault();
    }
    if (event.key === "p" || event.key === "k") {
      if (current === 0 && beyond(changes[0], "Previous change")) return;
      go(current - 1); event.preventDefault();
    }
  });
})();
