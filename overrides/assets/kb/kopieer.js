// "Kopieer link" on case and answer pages: puts "Title. Publisher. https://…/c/ams-0001/"
// on the clipboard. Where the browser refuses, the line is shown selected to copy by hand.
for (const box of document.querySelectorAll(".kb-copy")) {
  const button = box.querySelector("button");
  const status = box.querySelector(".kb-copy__status");
  const line = () =>
    `${button.dataset.citation} ${new URL(button.dataset.href, location.href).href}`;
  box.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(line());
      status.textContent = "Gekopieerd. Plak de link in uw e-mail.";
    } catch {
      const field = document.createElement("input");
      field.type = "text";
      field.readOnly = true;
      field.value = line();
      field.className = "kb-copy__field";
      field.setAttribute("aria-label", "Link om te kopiëren");
      status.replaceChildren("Kopiëren lukte niet. Kopieer deze tekst zelf: ", field);
      field.select();
    }
  });
}
