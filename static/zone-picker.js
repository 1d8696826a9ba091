// The zone picker: a search box above the long list of zones narrows it as one types, and
// chooses the first zone that matches ("tokyo" → Asia/Tokyo). Without JavaScript, the list
// grouped by region is still there.
(function () {
  "use strict";
  var select = document.getElementById("timezone");
  if (!select) return;
  var box = document.createElement("input");
  box.type = "search";
  box.id = "timezone-search";
  box.placeholder = "Search: a city or a region, e.g. Vienna";
  box.setAttribute("aria-label", "Search the time zones");
  box.setAttribute("aria-controls", "timezone");
  box.autocomplete = "off";
  select.parentNode.insertBefore(box, select);

  function plain(text) { return text.toLowerCase().replace(/_/g, " "); }

  box.addEventListener("input", function () {
    var wanted = plain(box.value.trim());
    var first = null;
    var chosenShown = false;
    Array.prototype.forEach.call(select.options, function (option) {
      var shown = !wanted || plain(option.value + " " + option.text).indexOf(wanted) !== -1;
      option.hidden = !shown;
      if (shown && !first) first = option;
      if (shown && option.selected) chosenShown = true;
    });
    Array.prototype.forEach.call(select.getElementsByTagName("optgroup"), function (group) {
      group.hidden = !Array.prototype.some.call(group.children, function (o) { return !o.hidden; });
    });
    if (wanted && first && !chosenShown) {
      select.value = first.value;
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }
  });
  box.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {  // choose, do not send the form yet
      event.preventDefault();
      select.focus();
    }
  });
})();
