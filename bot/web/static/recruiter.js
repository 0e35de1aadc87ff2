// Recruiter console: talks to /api/recruiter/* with the credential as a Bearer token
// (RECRUITER_PASSWORD, or "name:password" of a named account).
// Every value from the server is shown with textContent, never parsed as HTML.
"use strict";

(() => {
  const KEY = "careers-chat.recruiter";
  const $ = (id) => document.getElementById(id);
  let lastGoldenCsv = "";

  class AuthError extends Error {}

  function token() {
    return sessionStorage.getItem(KEY) || "";
  }

  function setStatus(text, isError) {
    const status = $("status");
    status.textContent = text || "";
    status.classList.toggle("error", Boolean(isError));
  }

  async function detailOf(response) {
    try {
      const body = await response.json();
      if (typeof body.detail === "string") return body.detail;
      if (Array.isArray(body.detail)) return body.detail.map((d) => d.msg).join("; ");
    } catch (_) { /* not JSON */ }
    return `Request failed (${response.status}).`;
  }

  async function api(path, options = {}) {
    const headers = Object.assign({ Authorization: `Bearer ${token()}` }, options.headers || {});
    const response = await fetch(`/api/recruiter${path}`, Object.assign({}, options, { headers }));
    if (response.status === 401) {
      signOut("Your session ended or the password is wrong. Sign in again.");
      throw new AuthError("unauthorised");
    }
    if (!response.ok) throw new Error(await detailOf(response));
    return response;
  }

  const getJson = async (path) => (await api(path)).json();
  const sendJson = async (method, path, body) =>
    (await api(path, { method, headers: { "Content-Type": "application/json" }, body: JSON.stringify(body || {}) })).json();
  const postJson = (path, body) => sendJson("POST", path, body);

  // Show "label…" while the action runs, then the sentence it returns (if any), or the error it threw.
  async function run(label, action) {
    setStatus(`${label}…`);
    try {
      const done = await action();
      setStatus(typeof done === "string" ? done : "");
    } catch (error) {
      if (!(error instanceof AuthError)) setStatus(error.message, true);
    }
  }

  // --- small DOM helpers (text only) ---

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function list(items) {
    const ul = document.createElement("ul");
    (items || []).forEach((item) => ul.appendChild(el("li", item)));
    return ul;
  }

  function row(cells, className) {
    const tr = document.createElement("tr");
    if (className) tr.className = className;
    cells.forEach((cell) => {
      const td = document.createElement("td");
      if (cell instanceof Node) td.appendChild(cell);
      else td.textContent = cell === null || cell === undefined ? "" : String(cell);
      tr.appendChild(td);
    });
    return tr;
  }

  function fill(tbody, rows, emptyText, columns) {
    tbody.replaceChildren();
    if (!rows.length) {
      const tr = row([emptyText]);
      tr.firstChild.colSpan = columns;
      tr.firstChild.className = "muted";
      tbody.appendChild(tr);
      return;
    }
    rows.forEach((r) => tbody.appendChild(r));
  }

  const score = (value) => (typeof value === "number" ? value.toFixed(3) : "–");
  const percent = (share) => `${Math.round((share || 0) * 100)}%`;
  const when = (iso) => (iso ? iso.replace("T", " ").slice(0, 19) : "");

  function download(text, filename, type) {
    const url = URL.createObjectURL(new Blob([text], { type }));
    const link = document.createElement("a");
    link.href = url;
    link.download = filename;
    document.body.appendChild(link);
    link.click();
    link.remove();
    URL.revokeObjectURL(url);
  }

  // --- sign in / out ---

  function showConsole(signedIn) {
    $("login").hidden = signedIn;
    $("console").hidden = !signedIn;
    $("logout").hidden = !signedIn;
  }

  function signOut(message) {
    sessionStorage.removeItem(KEY);
    showConsole(false);
    $("login-error").textContent = message || "";
    $("password").value = "";
    $("password").focus();
  }

  async function signIn(credential) {
    sessionStorage.setItem(KEY, credential);
    const response = await fetch("/api/recruiter/session", { headers: { Authorization: `Bearer ${credential}` } });
    if (!response.ok) {
      signOut(response.status === 401 ? "That password is not right." : await detailOf(response));
      return;
    }
    $("login-error").textContent = "";
    showConsole(true);
    selectTab("overview");
  }

  // --- tabs ---

  const loaders = {
    overview: loadOverview,
    feedback: loadFeedback,
    gaps: loadGaps,
  };

  function selectTab(name) {
    document.querySelectorAll(".tabs button").forEach((button) => {
      const selected = button.dataset.tab === name;
      button.setAttribute("aria-selected", String(selected));
      button.tabIndex = selected ? 0 : -1;
      $(`tab-${button.dataset.tab}`).hidden = !selected;
    });
    if (loaders[name]) run("Loading", loaders[name]);
  }

  // Arrow keys, Home and End move between tabs; Tab goes on to the open panel (the ARIA tabs pattern).
  function moveTab(event) {
    const tabs = [...document.querySelectorAll(".tabs button")];
    const current = tabs.indexOf(document.activeElement);
    const steps = { ArrowRight: current + 1, ArrowLeft: current - 1, Home: 0, End: tabs.length - 1 };
    if (current < 0 || !(event.key in steps)) return;
    event.preventDefault();
    const next = tabs[(steps[event.key] + tabs.length) % tabs.length];
    next.focus();
    selectTab(next.dataset.tab);
  }

  // --- overview ---

  async function loadOverview() {
    const data = await getJson("/overview");
    $("ov-questions").textContent = data.questions;
    $("ov-answered").textContent = percent(data.share.answered);
    $("ov-not_found").textContent = percent(data.share.not_found);
    $("ov-refused").textContent = percent(data.share.refused);
    $("ov-latency").textContent = data.median_latency_ms === null ? "–" : `${Math.round(data.median_latency_ms)} ms`;
    $("ov-feedback").textContent = `${data.feedback.up} / ${data.feedback.down}`;
    const health = data.health || {};
    const problems = (health.problems || []).join("; ");
    $("ov-health").textContent =
      `Engine ${health.status || "?"} · mode ${health.mode || "?"} · ${health.chunks ?? "?"} chunks` +
      (problems ? ` · ${problems}` : "") +
      (data.retention_days ? ` · conversations kept ${data.retention_days} days` : "");
    fill($("ov-days"), data.questions_per_day.map((d) => row([d.day, d.questions])), "No questions yet.", 2);
  }

  // --- try a question ---

  async function tryQuestion(event) {
    event.preventDefault();
    const message = $("try-message").value.trim();
    if (!message) return;
    await run("Asking", async () => {
      const body = { message, posting: $("try-posting").value.trim() || null };
      const data = await postJson("/try", body);
      const response = data.response;
      const trace = data.trace || {};
      $("try-result").hidden = false;
      const status = $("try-status");
      status.textContent = response.status;
      status.className = `badge ${response.status}`;
      $("try-mode").textContent = response.mode + (response.degraded ? " (degraded)" : "");
      $("try-guard").textContent = trace.guard ? `guard: ${trace.guard} (${trace.guard_action})` : "";
      $("try-answer").textContent = response.answer;
      const citations = $("try-citations");
      citations.replaceChildren();
      response.citations.forEach((c) => {
        const li = el("li", `“${c.quote}” — ${c.section} (${c.source})`);
        li.value = c.id;
        citations.appendChild(li);
      });
      fill($("try-used"), (trace.used || []).map((u) => row([score(u.score), u.section, u.text])), "No sentences used.", 3);
      fill(
        $("try-chunks"),
        (trace.chunks || []).map((c, i) => row([i + 1, c.section, c.source, score(c.dense), score(c.lexical), score(c.fused)])),
        "No chunks retrieved.",
        6,
      );
      fill(
        $("try-timings"),
        Object.entries(trace.timings || {}).map(([stage, ms]) => row([stage.replace(/_ms$/, ""), Number(ms).toFixed(1)])),
        "No timings.",
        2,
      );
      document.dispatchEvent(new CustomEvent("console:tried", { detail: { message, posting: body.posting, response } }));
      $("try-standalone").textContent = trace.standalone ? `Searched for: ${trace.standalone}` : "";
      const model = trace.llm ? Object.entries(trace.llm).map(([key, value]) => `${key}: ${value}`).join(" · ") : "";
      $("try-llm").textContent = model ? `Model call: ${model}` : "";
    });
  }

  // --- golden sets ---

  function renderGolden(data) {
    const s = data.summary;
    $("golden-summary").textContent = `${s.passed} of ${s.total} passed, ${s.failed} failed.`;
    lastGoldenCsv = data.csv;
    $("golden-download").disabled = false;
    $("golden-table").hidden = false;
    const rows = data.results.map((r, i) => {
      const verdict = el("span", r.passed ? "PASS" : "FAIL", `badge ${r.passed ? "pass" : "fail"}`);
      const question = r.question ?? (r.case && r.case.question) ?? "";
      const expected = r.expected_status ?? (r.case && r.case.expected_status) ?? "";
      const status = expected && expected !== r.status ? `${r.status} (expected ${expected})` : r.status;
      return row([i + 1, verdict, question, status, list(r.reasons), r.answer], r.passed ? "pass" : "fail");
    });
    fill($("golden-rows"), rows, "The golden set has no cases.", 6);
    document.dispatchEvent(new CustomEvent("console:golden", { detail: { results: data.results, rows } }));
  }

  async function runGolden() {
    const csv = $("golden-csv").value;
    if (!csv.trim()) {
      setStatus("Load or paste a golden set first.", true);
      return;
    }
    $("golden-run").disabled = true;
    $("golden-summary").textContent = "";
    try {
      const posting = $("golden-posting").value.trim() || null;
      await run("Running the golden set", async () => renderGolden(await postJson("/golden/run", { csv, posting })));
    } finally {
      $("golden-run").disabled = false;
    }
  }

  async function loadSavedGolden() {
    await run("Loading the saved golden set", async () => {
      $("golden-csv").value = await (await api("/golden")).text();
    });
  }

  async function saveGolden() {
    const csv = $("golden-csv").value;
    if (!csv.trim()) {
      setStatus("Load or paste a golden set first.", true);
      return;
    }
    await run("Saving the golden set", async () => {
      const saved = await sendJson("PUT", "/golden", { csv });
      return `Saved the golden set (${saved.saved} questions).`;
    });
  }

  function openGoldenFile(event) {
    const file = event.target.files[0];
    if (!file) return;
    file.text().then((text) => {
      $("golden-csv").value = text;
      setStatus(`Loaded ${file.name}.`);
    });
    event.target.value = "";
  }

  // --- feedback and gaps ---

  async function loadFeedback() {
    const data = await getJson("/feedback");
    const rows = data.feedback.map((f) =>
      row([when(f.created_at), f.rating === "up" ? "👍 up" : "👎 down", f.question ?? "", f.answer, f.comment]),
    );
    fill($("feedback-rows"), rows, "No feedback yet.", 5);
  }

  async function loadGaps(check) {
    // Left empty, the field shows the server's grouping similarity (calibrated for its embedding model).
    const field = $("gaps-similarity");
    const chosen = field.value ? `similarity=${encodeURIComponent(field.value)}&` : "";
    const data = await getJson(`/gaps?${chosen}check=${check === true}`);
    field.placeholder = String(data.similarity);
    const gapRows = data.not_found.map((g) => row([g.count, g.question, list(g.examples), when(g.last_asked)]));
    fill($("gaps-not-found"), gapRows, "No unanswered questions.", 4);
    document.dispatchEvent(new CustomEvent("console:gaps", { detail: { groups: data.not_found, rows: gapRows } }));
    fill(
      $("gaps-downvoted"),
      data.downvoted.map((g) => row([g.count, g.question, list(g.examples), list(g.comments)])),
      "No down-voted answers.",
      4,
    );
  }

  // --- knowledge and export ---

  async function reloadKnowledge() {
    $("reload").disabled = true;
    try {
      await run("Reloading knowledge", async () => {
        const r = await postJson("/reload");
        $("reload-table").hidden = false;
        fill($("reload-rows"), [row([r.added, r.changed, r.removed, r.unchanged, r.total, Number(r.seconds).toFixed(2)])], "", 6);
        const sections = [
          ...r.added_sections.map((s) => `Added: ${s}`),
          ...r.changed_sections.map((s) => `Changed: ${s}`),
          ...r.removed_sections.map((s) => `Removed: ${s}`),
        ];
        $("reload-sections").replaceChildren(...(sections.length ? sections : ["Nothing changed."]).map((s) => el("li", s)));
      });
    } finally {
      $("reload").disabled = false;
    }
  }

  async function exportData(kind) {
    await run("Exporting", async () => {
      const query = kind === "json" ? "format=json" : `format=csv&table=${kind}`;
      const text = await (await api(`/export?${query}`)).text();
      if (kind === "json") download(text, "careers-chat-export.json", "application/json");
      else download(text, `careers-chat-${kind}.csv`, "text/csv");
    });
  }

  // Shared with recruiter-postings.js (postings, curated answers): helpers, and the tab loaders it adds to.
  window.careersConsole = { $, api, getJson, postJson, run, setStatus, el, list, row, fill, when, selectTab, loaders, loadGaps };

  // --- wiring ---

  document.addEventListener("DOMContentLoaded", () => {
    $("login-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const name = $("account-name").value.trim();
      signIn(name ? `${name}:${$("password").value}` : $("password").value);
    });
    $("logout").addEventListener("click", () => signOut("Signed out."));
    document.querySelectorAll(".tabs button").forEach((b) => b.addEventListener("click", () => selectTab(b.dataset.tab)));
    document.querySelector(".tabs").addEventListener("keydown", moveTab);
    $("overview-refresh").addEventListener("click", () => run("Loading", loadOverview));
    $("try-form").addEventListener("submit", tryQuestion);
    $("golden-load").addEventListener("click", loadSavedGolden);
    $("golden-save").addEventListener("click", saveGolden);
    $("golden-file").addEventListener("change", openGoldenFile);
    $("golden-run").addEventListener("click", runGolden);
    $("golden-download").addEventListener("click", () => download(lastGoldenCsv, "golden-results.csv", "text/csv"));
    $("feedback-refresh").addEventListener("click", () => run("Loading", loadFeedback));
    $("gaps-refresh").addEventListener("click", () => run("Grouping", loadGaps));
    $("gaps-check").addEventListener("click", () => run("Asking each gap again", () => loadGaps(true)));
    $("reload").addEventListener("click", reloadKnowledge);
    document.querySelectorAll("[data-export]").forEach((b) => b.addEventListener("click", () => exportData(b.dataset.export)));
    if (token()) signIn(token());
    else showConsole(false);
  });
})();
