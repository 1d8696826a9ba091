// The working-draft editor: ask before a paragraph is deleted, and put the cursor in a
// paragraph's text when its edit form opens in place (htmx swaps it in). What it says comes from
// the page (the data-say-* attributes of #draft), in the reader's language.
const say = (name, fallback) => {
  const draft = document.getElementById("draft");
  return (draft && draft.dataset[name]) || fallback;
};
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form.classList && form.classList.contains("confirm-delete")) {
    const question = say("sayConfirmDelete", "Delete this paragraph from the working draft?");
    if (!window.confirm(question)) event.preventDefault();
  }
});
document.addEventListener("htmx:afterSettle", () => {
  const textarea = document.querySelector(".edit-row.editing textarea.edit-source");
  if (textarea && document.activeElement !== textarea) textarea.focus();
});
// A refusal htmx does not swap in (403, 404, 413, 5xx): say so above the paragraph; what was
// typed stays in its form.
document.addEventListener("htmx:responseError", (event) => {
  const target = event.detail.target;
  if (!target || !target.querySelector) return;
  let note = target.querySelector(".htmx-error");
  if (!note) {
    note = document.createElement("p");
    note.className = "flash flash-error htmx-error";
    note.setAttribute("role", "alert");
    target.prepend(note);
  }
  const status = event.detail.xhr ? event.detail.xhr.status : 0;
  const reasons = {
    403: say("sayForbidden", "Not saved: you may not change this draft."),
    404: say("sayGone", "Not saved: this paragraph or draft no longer exists."),
    413: say("sayTooLarge", "Not saved: the text is too large to be sent."),
  };
  note.textContent = `${reasons[status] || say("sayRefused", "Not saved: the server could not take the change.")} ` +
    say("sayKept", "Your text is still in the form; copy it before reloading the draft.");
});
document.addEventListener("htmx:sendError", (event) => {
  const target = event.detail.target;
  if (target && target.prepend) {
    const note = document.createElement("p");
    note.className = "flash flash-error htmx-error";
    note.setAttribute("role", "alert");
    note.textContent = say(
      "sayUnreachable",
      "Not saved: the server cannot be reached. Your text is still in the form; try again.",
    );
    target.prepend(note);
  }
});
