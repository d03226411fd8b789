// The stable link of a case or answer: the "Vaste link" a page shows and the line that
// "Kopieer link" puts on the clipboard ("Title. Publisher. https://…/c/ams-0001/") carry
// one address. It is the published one when the site knows it (data-url), otherwise this
// page's own address in the browser. Relative addresses resolve against document.baseURI:
// on a short-address copy (c/<id>/) that is the long page's folder (render/shortlinks.py).
// Where the browser refuses to copy, the line is shown selected to copy by hand.
const stableUrl = (el) =>
  el.dataset.url || new URL(el.dataset.href || el.getAttribute("href"), document.baseURI).href;

for (const link of document.querySelectorAll("a.kb-stable-link")) {
  link.textContent = stableUrl(link);
}

for (const box of document.querySelectorAll(".kb-copy")) {
  const button = box.querySelector("button");
  const status = box.querySelector(".kb-copy__status");
  const line = () => `${button.dataset.citation} ${stableUrl(button)}`;
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
