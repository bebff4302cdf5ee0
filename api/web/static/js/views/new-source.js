// A new source from text (/new-source, annotate mode only): the text pasted or opened from a
// .txt file, with its title, publisher, URL, publication date and language. The text is
// stored exactly as given (a file's bytes decoded as UTF-8, not passed through the text box,
// which would turn its line ends into \n), and the source opens in the reader, ready to annotate.

import { h, replace } from "../dom.js";
import { CREATE_SOURCE } from "../annotate/documents.js";
import { clearProblems, field, showProblems, slugify } from "../annotate/fields.js";
import { canWrite } from "../annotate/session.js";
import { announce } from "../annotate/status.js";
import { explain, mutate, succeeded } from "../annotate/write.js";
import { pageHead } from "./common.js";

export async function newSourceView(context) {
  context.setTitle("New source");
  if (!canWrite()) {
    replace(
      context.main,
      h(
        "article",
        { class: "new-source" },
        pageHead("Annotate", "New source"),
        h("p", null, "Adding a source needs a write key: sign in first (the button at the top of the page)."),
      ),
    );
    return null;
  }
  const title = h("input", { type: "text", required: true });
  const publisher = h("input", { type: "text", required: true });
  const url = h("input", { type: "url", spellcheck: "false" });
  const published = h("input", { type: "date" });
  const language = h("input", { type: "text", value: "en", required: true, spellcheck: "false" });
  const id = h("input", { type: "text", spellcheck: "false" });
  const text = h("textarea", { rows: "14", required: true, spellcheck: "false" });
  const file = h("input", { type: "file", accept: ".txt,text/plain" });
  const status = h("div", { class: "form-status", role: "status", "aria-live": "polite" });
  let fromFile = null;
  let ownId = false;
  id.addEventListener("input", () => { ownId = true; });
  title.addEventListener("input", () => {
    if (!ownId) id.value = slugify(title.value);
  });
  text.addEventListener("input", () => { fromFile = null; });
  file.addEventListener("change", async () => {
    const chosen = file.files && file.files[0];
    if (!chosen) return;
    fromFile = new TextDecoder("utf-8").decode(await chosen.arrayBuffer());
    text.value = fromFile;
    if (!title.value) {
      title.value = chosen.name.replace(/\.txt$/i, "");
      if (!ownId) id.value = slugify(title.value);
    }
    status.textContent = `Opened ${chosen.name}: ${[...fromFile].length} characters, kept exactly as in the file.`;
  });
  const save = h("button", { type: "submit" }, "Create the source");
  const form = h(
    "form",
    { class: "annotate-form new-source-form", method: "post", novalidate: true, "aria-labelledby": "new-source-title", "data-dirty": true },
    field("title", "Title, as published", title),
    field("publisher", "Publisher", publisher),
    field("url", "URL (optional)", url),
    field("publishedAt", "Publication date (optional)", published),
    field("language", "Language", language, { hint: "A BCP 47 tag: en, ru, kk, …" }),
    field("text", "The text, exactly as published", text, { hint: "Paste it, or open a .txt file below. Every quote's offsets count into this text." }),
    field("file", "Or open a .txt file", file),
    field("id", "Id", id, { hint: "Lower-case words joined by “-”: the source's address. Made from the title." }),
    status,
    h("p", { class: "form-actions" }, save),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearProblems(form);
    const body = fromFile !== null ? fromFile : text.value;
    const input = {
      id: id.value.trim() || slugify(title.value),
      title: title.value.trim(),
      publisher: publisher.value.trim(),
      url: url.value.trim() || null,
      publishedAt: published.value ? `${published.value}T00:00:00Z` : null,
      language: language.value.trim(),
      text: body,
    };
    save.disabled = true;
    status.textContent = "Saving…";
    try {
      const data = await mutate(CREATE_SOURCE, { input });
      const payload = data.createSource;
      if (succeeded(payload)) {
        announce(`Created the source “${payload.source.slug}”: select a passage to annotate it.`);
        context.router.navigate(`/sources/${encodeURIComponent(payload.source.slug)}`);
        return;
      }
      const { fields, message } = explain(payload, { what: "source" });
      const left = showProblems(form, fields);
      status.textContent = ["Nothing was saved.", message, ...left].filter(Boolean).join(" ");
    } catch (error) {
      status.textContent = `Nothing was saved: ${error.message}.`;
    } finally {
      save.disabled = false;
    }
  });
  replace(
    context.main,
    h(
      "article",
      { class: "new-source" },
      h("header", { class: "page-head" }, h("p", { class: "eyebrow" }, "Annotate"), h("h1", { id: "new-source-title", tabindex: "-1" }, "New source")),
      h("p", null, "The text is stored exactly as given; then it opens in the reader, where you select passages to record."),
      form,
    ),
  );
  return null;
}
