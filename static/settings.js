// Settings: offer the zone the browser reports, when it is one of the service's zones.
(function () {
  "use strict";
  var button = document.getElementById("use-browser-zone");
  var select = document.getElementById("timezone");
  if (!button || !select || !window.Intl || !Intl.DateTimeFormat) return;
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  var known = Array.prototype.some.call(select.options, function (o) { return o.value === zone; });
  if (!zone || !known) return;
  button.textContent = "Use my browser's zone (" + zone + ")";
  button.hidden = false;
  button.addEventListener("click", function () {
    select.value = zone;
    select.dispatchEvent(new Event("change", { bubbles: true }));
    select.focus();
  });
})();
