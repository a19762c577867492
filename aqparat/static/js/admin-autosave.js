// Autosave must not call "saved" what it never sent. Wagtail 8.0's autosave, when
// an answer comes back, takes the form as it stands *then* as saved (its unsaved-
// changes check is reset to the current form): what the editor typed while the
// request was on its way is never sent, the header says "Saved", and leaving the
// page gives no warning. Here the check's baseline becomes what was sent (with the
// server's field updates), so anything typed meanwhile counts as a change and goes
// with the next autosave. Wagtail offers no setting for this; remove this file when
// its autosave compares against the data it sent.
(() => {
  "use strict";

  // What Wagtail's unsaved-changes check leaves out of its comparison (the
  // autosave adds overwrite_revision_id to what it sends).
  const SKIPPED = new Set([
    "csrfmiddlewaretoken",
    "loaded_revision_id",
    "loaded_revision_created_at",
    "next",
    "overwrite_revision_id",
  ]);

  // The same text Wagtail's check makes of a form's data, so equal means unchanged.
  const serialize = (formData) => {
    const data = new FormData();
    for (const [name, value] of formData.entries()) {
      if (!SKIPPED.has(name) && !name.startsWith("comments-")) {
        data.append(name, value);
      }
    }
    for (const name of [...new Set(data.keys())]) {
      if (data.get(name) instanceof File) {
        const parts = data
          .getAll(name)
          .flatMap((file) => [["name", file.name], ["size", `${file.size}`], ["type", file.type]]);
        data.set(name, new URLSearchParams(parts).toString());
      }
    }
    return new URLSearchParams(data).toString();
  };

  const sent = new WeakMap(); // form -> the data of its autosave in flight

  document.addEventListener("w-autosave:save", (event) => {
    if (event.detail && event.detail.formData) {
      sent.set(event.target, event.detail.formData);
    }
  });

  // Runs after the form's own handler (Wagtail's reset), as the event bubbles up.
  document.addEventListener("w-autosave:success", (event) => {
    const form = event.target;
    const formData = sent.get(form);
    sent.delete(form);
    const app = window.wagtail && window.wagtail.app;
    const unsaved = app && app.getControllerForElementAndIdentifier(form, "w-unsaved");
    if (!formData || !unsaved) {
      return;
    }
    const saved = new FormData();
    for (const [name, value] of formData.entries()) {
      saved.append(name, value);
    }
    const updates = (event.detail && event.detail.response && event.detail.response.field_updates) || {};
    for (const [name, value] of Object.entries(updates)) {
      saved.set(name, value);
    }
    // Differs from the form now: the check sees edits and asks for another autosave.
    unsaved.initialFormData = serialize(saved);
  });
})();
