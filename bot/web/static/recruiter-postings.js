// Recruiter console, postings and curated answers: list, edit, upload, preview, publish, versions and
// restore; answers written here or from a failed golden-set row, a knowledge gap or a tried question.
// Uses the helpers recruiter.js shares as window.careersConsole. Server text is set with textContent only.
"use strict";

(() => {
  const C = window.careersConsole;
  const { $, el, row, fill, when, run, setStatus } = C;
  let editing = null; // the posting id open in the editor, or null for a new posting
  let known = []; // postings from the last list
  let origin = null; // where the answer being written came from: "golden", "gaps" or "try"
  let checkGapsNext = false; // the next visit to the gaps tab asks each gap again

  const putJson = async (path, body) =>
    (await C.api(path, { method: "PUT", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) })).json();

  // A button; `label` names it for screen readers where its text alone repeats row after row.
  function button(text, onClick, className, label) {
    const b = el("button", text, className || "secondary");
    b.type = "button";
    if (label) b.setAttribute("aria-label", label);
    b.addEventListener("click", onClick);
    return b;
  }

  function badge(status) {
    return el("span", status, `badge ${status}`);
  }

  function encoded(id) {
    return encodeURIComponent(id);
  }

  // --- posting list ---

  async function loadPostings() {
    const [data, session] = await Promise.all([C.getJson("/postings"), C.getJson("/session")]);
    known = data.postings;
    $("postings-account").textContent = `Signed in as ${session.account}: your changes are recorded under that name.`;
    const rows = data.postings.map((p) => {
      const actions = el("div", null, "actions");
      if (!p.deleted) actions.appendChild(button("Edit", () => run("Opening", () => openPosting(p.id)), null, `Edit ${p.id}`));
      actions.appendChild(button("Versions", () => run("Loading versions", () => showVersions(p.id)), null, `Versions of ${p.id}`));
      if (!p.deleted) actions.appendChild(button("Delete", () => deletePosting(p.id), null, `Delete ${p.id}`));
      const last = `v${p.version} · ${p.change} · ${p.changed_by} · ${when(p.changed_at)}`;
      const documents = p.deleted ? "deleted" : `${p.documents.length} (${p.chunks} chunks)`;
      return row([p.id, p.title, documents, p.answers, last, actions], p.deleted ? "deleted" : "");
    });
    fill($("postings-rows"), rows, "No postings yet.", 6);
    fillPostingChoices();
  }

  function fillPostingChoices() {
    const select = $("answer-posting");
    const chosen = select.value;
    select.replaceChildren(...known.filter((p) => !p.deleted).map((p) => {
      const option = el("option", `${p.title} (${p.id})`);
      option.value = p.id;
      return option;
    }));
    if (chosen && known.some((p) => p.id === chosen)) select.value = chosen;
  }

  async function deletePosting(id) {
    if (!window.confirm(`Delete posting ${id}? Candidates stop getting answers from it; you can restore it from its versions.`)) return;
    await run("Deleting", async () => {
      const data = await (await C.api(`/postings/${encoded(id)}`, { method: "DELETE" })).json();
      await loadPostings();
      return `Deleted ${id} (version ${data.version.version}).`;
    });
  }

  // --- editor ---

  function addDocument(name, text) {
    const list = $("editor-documents");
    const index = list.children.length + 1;
    const box = el("fieldset", null, "doc");
    box.appendChild(el("legend", `Document ${index}`));
    const nameId = `doc-name-${Date.now()}-${index}`;
    const textId = `doc-text-${Date.now()}-${index}`;
    const nameLabel = el("label", "Document name (.md, .txt or .html says how the text is read)");
    nameLabel.htmlFor = nameId;
    const nameInput = el("input");
    nameInput.type = "text";
    nameInput.id = nameId;
    nameInput.value = name || `document-${index}.md`;
    nameInput.className = "doc-name";
    const textLabel = el("label", "Text");
    textLabel.htmlFor = textId;
    const textArea = el("textarea");
    textArea.id = textId;
    textArea.rows = 12;
    textArea.value = text || "";
    textArea.className = "doc-text";
    box.append(nameLabel, nameInput, textLabel, textArea, button(`Remove document ${index}`, () => box.remove()));
    list.appendChild(box);
    return textArea;
  }

  function draft() {
    const documents = [...document.querySelectorAll("#editor-documents .doc")].map((box) => ({
      name: box.querySelector(".doc-name").value.trim(),
      text: box.querySelector(".doc-text").value,
    }));
    return { title: $("editor-title").value.trim() || null, documents };
  }

  function postingId() {
    const id = (editing || $("editor-id").value).trim();
    if (!id) throw new Error("Give the posting an id first (lower-case letters, digits and dashes).");
    return id;
  }

  function openEditor(id, title, documents) {
    editing = id;
    $("posting-versions").hidden = true;
    $("posting-editor").hidden = false;
    $("editor-heading").textContent = id ? `Edit ${id}` : "New posting";
    $("editor-id").value = id || "";
    $("editor-id").readOnly = Boolean(id);
    $("editor-title").value = title || "";
    $("editor-documents").replaceChildren();
    $("editor-result").replaceChildren();
    documents.forEach((d) => addDocument(d.name, d.text));
    (id ? $("editor-title") : $("editor-id")).focus();
  }

  async function openPosting(id) {
    const data = await C.getJson(`/postings/${encoded(id)}`);
    openEditor(id, data.title, data.documents);
  }

  async function uploadFiles(event) {
    const files = [...event.target.files];
    if (!files.length) return;
    const form = new FormData();
    files.forEach((f) => form.append("files", f));
    await run("Converting", async () => {
      const data = await (await C.api("/convert", { method: "POST", body: form })).json();
      data.documents.forEach((d) => addDocument(d.name, d.text));
      return `Converted ${data.documents.map((d) => d.source).join(", ")} to Markdown: check it, preview, then publish.`;
    });
    event.target.value = "";
  }

  async function importPage() {
    const html = $("editor-import").value;
    if (!html.trim()) {
      setStatus("Paste the page's HTML source first.", true);
      return;
    }
    await run("Importing", async () => {
      const data = await C.postJson("/import", { html });
      if (!editing && !$("editor-id").value.trim()) $("editor-id").value = data.posting_id;
      if (!$("editor-title").value.trim()) $("editor-title").value = data.title;
      data.documents.forEach((d) => addDocument(d.name, d.text));
      $("editor-import").value = "";
      return `Imported "${data.title}" from its JobPosting data: check it, preview, then publish.`;
    });
  }

  function showPreview(data) {
    const result = $("editor-result");
    result.replaceChildren(el("p", `“${data.title}”: ${data.documents.length} document(s), ${data.chunks} chunks.`, "summary"));
    data.documents.forEach((d) => {
      result.appendChild(el("h4", `${d.path} (${d.chunks} chunks, ${d.language})`));
      const sections = el("ul");
      d.sections.forEach((s) => {
        const item = el("li");
        const details = el("details");
        details.appendChild(el("summary", `${s.topic} › ${s.section} (${s.chunks.length} chunk${s.chunks.length === 1 ? "" : "s"})`));
        s.chunks.forEach((text) => details.appendChild(el("pre", text, "chunk")));
        item.appendChild(details);
        sections.appendChild(item);
      });
      result.appendChild(sections);
    });
  }

  async function previewDraft() {
    await run("Previewing", async () => showPreview(await C.postJson(`/postings/${encoded(postingId())}/preview`, draft())));
  }

  async function publishDraft() {
    await run("Publishing", async () => {
      const id = postingId();
      const data = await putJson(`/postings/${encoded(id)}`, draft());
      const r = data.reload;
      $("editor-result").replaceChildren(
        el("p", `Published ${id} as version ${data.version.version}: ${r.added} chunks added, ${r.changed} changed, ${r.removed} removed.`, "summary"),
      );
      editing = id;
      $("editor-id").readOnly = true;
      $("editor-heading").textContent = `Edit ${id}`;
      await loadPostings();
      return `Published ${id}. Candidates get answers from it now.`;
    });
  }

  // --- versions ---

  async function showVersions(id) {
    const data = await C.getJson(`/postings/${encoded(id)}/versions`);
    $("posting-editor").hidden = true;
    $("posting-versions").hidden = false;
    $("versions-heading").textContent = `Versions of ${id}`;
    const newest = data.versions.length ? data.versions[0].version : 0;
    const rows = data.versions.map((v) => {
      const restore = v.version === newest ? el("span", "current", "muted") : button(`Restore version ${v.version}`, () => restoreVersion(id, v.version));
      const documents = v.documents.length ? C.list(v.documents.map((d) => `${d.name} (${d.chars} characters)`)) : "no documents";
      return row([v.version, when(v.created_at), v.author, v.action, documents, restore]);
    });
    fill($("versions-rows"), rows, "No versions.", 6);
    $("versions-heading").scrollIntoView({ block: "nearest" });
  }

  async function restoreVersion(id, version) {
    await run("Restoring", async () => {
      const data = await C.postJson(`/postings/${encoded(id)}/versions/${version}/restore`);
      await loadPostings();
      await showVersions(id);
      return `Restored ${id} to version ${version} (now version ${data.version.version}).`;
    });
  }

  // --- curated answers ---

  async function loadAnswers() {
    if (!known.length) await loadPostings();
    const id = $("answer-posting").value;
    if (!id) {
      fill($("answers-rows"), [], "No posting to answer for.", 5);
      return;
    }
    const data = await C.getJson(`/postings/${encoded(id)}/answers`);
    const rows = data.answers.map((a) =>
      row([
        a.question,
        a.answer,
        a.author || "unknown",
        when(a.created_at),
        button("Remove", () => removeAnswer(id, a), null, `Remove the answer to: ${a.question}`),
      ]),
    );
    fill($("answers-rows"), rows, "No curated answers yet.", 5);
  }

  async function removeAnswer(id, answer) {
    if (!window.confirm(`Remove the answer to "${answer.question}"?`)) return;
    await run("Removing", async () => {
      await C.api(`/postings/${encoded(id)}/answers/${encoded(answer.id)}`, { method: "DELETE" });
      await loadAnswers();
      return `Removed the answer to "${answer.question}".`;
    });
  }

  function showCheck(check) {
    const box = $("answer-check");
    const cited = check.citations.map((c) => `[${c.id}] ${c.section} (${c.source})`).join("; ");
    const verdict = check.cites_this_answer
      ? "and it quotes this answer."
      : "but it does not quote this answer yet: try wording the question the way candidates ask it.";
    box.replaceChildren(
      el("p", null, "summary"),
      el("div", check.answer, "answer"),
      el("p", cited ? `Cited: ${cited}` : "No citation.", "muted"),
    );
    box.firstChild.append("A candidate asking this now gets ", badge(check.status), ` ${verdict}`);
  }

  async function saveAnswer(event) {
    event.preventDefault();
    const id = $("answer-posting").value;
    const body = { question: $("answer-question").value, answer: $("answer-text").value };
    await run("Publishing the answer", async () => {
      const response = await C.api(`/postings/${encoded(id)}/answers`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
      const data = await response.json();
      showCheck(data.check);
      showWayBack();
      $("answer-text").value = "";
      await loadAnswers();
      return `Published the answer to "${data.answer.question}" (version ${data.version.version}).`;
    });
  }

  function showWayBack() {
    const back = {
      golden: ["Back to the golden set, and run it again", () => {
        C.selectTab("golden");
        $("golden-run").click();
      }],
      gaps: ["Back to the knowledge gaps, and ask each again", () => {
        checkGapsNext = true;
        C.selectTab("gaps");
      }],
      try: ["Back to Try a question", () => C.selectTab("try")],
    }[origin];
    if (back) $("answer-check").appendChild(button(back[0], back[1]));
  }

  async function answerFor(question, posting, from) {
    origin = from;
    if (!known.length) await run("Loading postings", loadPostings);
    C.selectTab("answers");
    if (posting && known.some((p) => p.id === posting && !p.deleted)) $("answer-posting").value = posting;
    $("answer-question").value = question || "";
    $("answer-text").value = "";
    $("answer-check").replaceChildren();
    await run("Loading", loadAnswers);
    $("answer-text").focus();
  }

  // --- hooks into the other tabs: golden rows, gaps, tried questions ---

  document.addEventListener("console:golden", (event) => {
    const posting = $("golden-posting").value.trim() || null;
    event.detail.results.forEach((result, i) => {
      if (result.passed) return;
      const cell = event.detail.rows[i].children[4];
      const label = `Write a curated answer for: ${result.question}`;
      cell.appendChild(button("Write a curated answer", () => answerFor(result.question, posting, "golden"), null, label));
    });
  });

  document.addEventListener("console:gaps", (event) => {
    event.detail.groups.forEach((group, i) => {
      const cell = event.detail.rows[i].children[1];
      if (group.now) {
        const now = el("p", "Now: ", "now");
        now.appendChild(badge(group.now.status));
        if (group.now.citations.length) now.append(` cites ${group.now.citations.map((c) => c.section).join("; ")}`);
        cell.appendChild(now);
      }
      const label = `Write a curated answer for: ${group.question}`;
      cell.appendChild(button("Write a curated answer", () => answerFor(group.question, group.posting, "gaps"), null, label));
    });
  });

  let tried = null;
  document.addEventListener("console:tried", (event) => {
    tried = event.detail;
  });

  document.addEventListener("DOMContentLoaded", () => {
    C.loaders.postings = loadPostings;
    C.loaders.answers = loadAnswers;
    C.loaders.gaps = () => {
      const check = checkGapsNext;
      checkGapsNext = false;
      return C.loadGaps(check);
    };
    $("postings-refresh").addEventListener("click", () => run("Loading", loadPostings));
    $("posting-new").addEventListener("click", () => openEditor(null, "", []));
    $("editor-paste").addEventListener("click", () => addDocument("", "").focus());
    $("editor-upload").addEventListener("change", uploadFiles);
    $("editor-import-run").addEventListener("click", importPage);
    $("editor-preview").addEventListener("click", previewDraft);
    $("editor-publish").addEventListener("click", publishDraft);
    $("editor-close").addEventListener("click", () => {
      $("posting-editor").hidden = true;
      $("posting-new").focus();
    });
    $("answer-form").addEventListener("submit", saveAnswer);
    $("answer-posting").addEventListener("change", () => run("Loading", loadAnswers));
    $("try-curate").addEventListener("click", () => {
      if (tried) answerFor(tried.message, tried.posting, "try");
    });
  });
})();
