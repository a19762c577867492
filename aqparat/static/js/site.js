// Progressive enhancement only: every feature works without this file.
document.addEventListener("click", (event) => {
    const link = event.target.closest("[data-copy-link]");
    if (!link || !navigator.clipboard) return;
    event.preventDefault();
    navigator.clipboard.writeText(link.href).then(() => {
        link.dataset.copied = "true";
        link.setAttribute("aria-live", "polite");
        link.textContent = link.dataset.copiedLabel || "Link copied";
    });
});
