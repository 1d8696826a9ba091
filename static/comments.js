// Comment forms: a count of characters under each text, so that a delegate sees the limit coming.
// The page works without this; the server checks the length and says why it refuses. The words
// come from the page (data-chars-text, "{count} of {limit} characters"), in the reader's language.
(function () {
  "use strict";
  var limit = 20000;
  var form = document.querySelector("form.comment-form");
  if (!form) { return; }
  if (form.dataset.maxChars) { limit = parseInt(form.dataset.maxChars, 10) || limit; }
  var words = form.dataset.charsText || "{count} of {limit} characters";
  var locale = document.documentElement.lang || "en";
  form.querySelectorAll("textarea, input[type=text]").forEach(function (field) {
    var counter = document.createElement("small");
    counter.className = "hint char-count";
    counter.setAttribute("aria-live", "polite");
    field.insertAdjacentElement("afterend", counter);
    function update() {
      var n = field.value.length;
      counter.textContent = words.replace("{count}", n.toLocaleString(locale))
        .replace("{limit}", limit.toLocaleString(locale));
      counter.classList.toggle("over", n > limit);
    }
    field.addEventListener("input", update);
    update();
  });
})();
