// The working-draft editor: ask before a paragraph is deleted, and put the cursor in a
// paragraph's text when its edit form opens in place (htmx swaps it in).
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form.classList && form.classList.contains("confirm-delete")) {
    if (!window.confirm("Delete this paragraph from the working draft?")) event.preventDefault();
  }
});
document.addEventListener("htmx:afterSettle", () => {
  const textarea = document.querySelector(".edit-row.editing textarea.edit-source");
  if (textarea && document.activeElement !== textarea) textarea.focus();
});
