/*! careers-chat widget: one <script> tag adds a cited job-posting assistant.
 *
 * <script src="https://HOST/widget.js" data-posting="POSTING_ID" defer></script>
 * Optional: data-title, data-color, data-position="left|right",
 * data-greeting, data-open, data-lang="en|zh|es".
 *
 * Everything lives in a Shadow DOM, so host CSS and the widget cannot touch
 * each other. Server text is only ever set through textContent. The server
 * fills CONFIG with every language's strings; the widget speaks data-lang,
 * else the page's <html lang>, else the browser's language, else English.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || window.__careersChatLoaded) return;
  window.__careersChatLoaded = true;

  var CONFIG = /*@config*/null;
  var api = new URL(script.src, location.href).origin;
  var data = script.dataset;
  var lang = pickLanguage([data.lang, document.documentElement.lang, navigator.language]);
  var T = CONFIG.strings[lang];
  var posting = data.posting || null;
  var title = data.title || T.title;
  var greeting = data.greeting || T.greeting;
  var storeKey = "careers-chat:" + api + ":" + (posting || "");
  var HISTORY_MESSAGES = 20;
  /* Where the panel covers the page (phones, zoomed-in windows) it is modal and keeps focus. */
  var FULL_SCREEN = "(max-width:480px),(max-height:520px)";

  function pickLanguage(candidates) {
    for (var i = 0; i < candidates.length; i++) {
      var code = String(candidates[i] || "").toLowerCase().split(/[-_]/)[0];
      if (CONFIG.strings[code]) return code;
    }
    return "en";
  }
  function say(key, values) {
    return T[key].replace(/\{(\w+)\}/g, function (all, name) { return values && name in values ? values[name] : all; });
  }

  var STYLES = [
    ":host{all:initial}",
    "*{box-sizing:border-box}",
    ".w{--a:#1d4ed8;--on:#fff;--ink:#1d4ed8;position:fixed;bottom:20px;right:20px;z-index:2147483000;",
    "font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;color:#1f2328}",
    ".w.left{right:auto;left:20px}",
    ".launch{width:60px;height:60px;border-radius:50%;border:0;background:var(--a);color:var(--on);",
    "cursor:pointer;box-shadow:0 6px 20px rgba(0,0,0,.25);display:grid;place-items:center}",
    ".launch svg{width:28px;height:28px}",
    /* Two-tone focus ring: the dark ring shows on light colours, the white one on dark ones. */
    "button:focus-visible,textarea:focus-visible,summary:focus-visible",
    "{outline:3px solid #111;outline-offset:2px;box-shadow:0 0 0 2px #fff}",
    ".panel{position:absolute;bottom:76px;right:0;width:380px;max-width:calc(100vw - 40px);",
    "height:580px;max-height:calc(100vh - 120px);background:#fff;border-radius:14px;",
    "box-shadow:0 12px 40px rgba(0,0,0,.28);display:flex;flex-direction:column;overflow:hidden}",
    ".left .panel{right:auto;left:0}",
    ".panel[hidden]{display:none}",
    ".hd{background:var(--a);color:var(--on);padding:12px 14px;display:flex;align-items:center;gap:8px}",
    "h2{font-size:16px;margin:0;flex:1;font-weight:600}",
    ".x{background:transparent;border:0;color:inherit;font-size:24px;line-height:1;cursor:pointer;",
    "width:36px;height:36px;border-radius:8px}",
    ".note{margin:0;padding:8px 14px;background:#f6f8fa;border-bottom:1px solid #d0d7de;font-size:12.5px;color:#424a53}",
    ".log{flex:1;overflow-y:auto;padding:14px;display:flex;flex-direction:column;gap:10px}",
    ".m{max-width:88%;padding:9px 12px;border-radius:12px;white-space:pre-wrap;overflow-wrap:anywhere}",
    ".bot{background:#f0f2f5;align-self:flex-start;border-bottom-left-radius:4px}",
    ".me{background:var(--a);color:var(--on);align-self:flex-end;border-bottom-right-radius:4px}",
    ".err{background:#fff4e5;color:#7a3e00;border:1px solid #f0b66b;align-self:stretch;max-width:none}",
    ".closest{background:#fffbeb;border:2px dashed #b45309}",
    ".kind{margin:0 0 6px;font-size:12px;font-weight:700;color:#7c2d12}",
    ".refusal,.invitation{background:#fff;border:1px solid #d0d7de}",
    ".mk{font-size:11px;vertical-align:super;border:0;background:none;color:var(--ink);",
    "font-weight:700;cursor:pointer;padding:0 1px}",
    ".me .mk{color:inherit}",
    ".src{margin-top:8px;border-top:1px solid #d0d7de;padding-top:6px;white-space:normal}",
    ".src p{margin:0 0 4px;font-size:12px;font-weight:600;color:#424a53}",
    "ol{margin:0;padding:0;list-style:none}",
    "li+li{margin-top:4px}",
    "summary{cursor:pointer;font-size:13px;color:#1f2328}",
    "blockquote{margin:6px 0 2px;padding:6px 10px;border-left:3px solid var(--ink);background:#fff;",
    "font-size:13px;white-space:pre-wrap}",
    ".file{font-size:11px;color:#57606a}",
    ".dots::after{content:'\\2026';animation:b 1s steps(3) infinite}",
    "@keyframes b{50%{opacity:.3}}",
    "form{display:flex;gap:8px;padding:10px;border-top:1px solid #d0d7de;background:#fff}",
    "textarea{flex:1;resize:none;font:inherit;color:inherit;padding:9px 10px;border:1px solid #6e7781;",
    "border-radius:10px;height:42px;max-height:120px}",
    ".send{background:var(--a);color:var(--on);border:0;border-radius:10px;padding:0 14px;font:inherit;",
    "font-weight:600;cursor:pointer}",
    ".send[aria-disabled=true]{opacity:.55;cursor:default}",
    ".sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}",
    "@media " + FULL_SCREEN + "{.w{bottom:14px;right:14px}.w.left{left:14px}",
    ".panel{position:fixed;inset:0;width:auto;max-width:none;height:auto;max-height:none;border-radius:0}",
    ".panel:not([hidden])+.launch{visibility:hidden}}",
    "@media (prefers-reduced-motion:reduce){.dots::after{animation:none}}"
  ].join("");

  var ICON = '<svg viewBox="0 0 24 24" aria-hidden="true" fill="currentColor"><path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2zm3 6a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm5 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm5 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3z"/></svg>';

  /* Static skeleton only: no server or page data goes through innerHTML. */
  var SKELETON =
    '<div class="w">' +
    '<section class="panel" role="dialog" aria-labelledby="cc-t" id="cc-panel" hidden>' +
    '<div class="hd"><h2 id="cc-t"></h2><button type="button" class="x">\u00d7</button></div>' +
    '<p class="note"><b></b><span></span></p>' +
    '<div class="log" role="log" aria-live="polite" aria-relevant="additions"></div>' +
    '<form><label class="sr" for="cc-in"></label>' +
    '<textarea id="cc-in" rows="1" autocomplete="off"></textarea>' +
    '<button class="send" type="submit"></button></form>' +
    "</section>" +
    '<button type="button" class="launch" aria-haspopup="dialog" aria-controls="cc-panel" aria-expanded="false">' +
    ICON + "</button></div>";

  var host = document.createElement("div");
  host.id = "careers-chat-widget";
  var root = host.attachShadow({ mode: "open" });
  if (root.adoptedStyleSheets && window.CSSStyleSheet && CSSStyleSheet.prototype.replaceSync) {
    var sheet = new CSSStyleSheet();
    sheet.replaceSync(STYLES);
    root.adoptedStyleSheets = [sheet];
  } else {
    var style = document.createElement("style");
    style.textContent = STYLES;
    root.appendChild(style);
  }
  var tpl = document.createElement("template");
  tpl.innerHTML = SKELETON;
  root.appendChild(tpl.content);

  var $ = function (sel) { return root.querySelector(sel); };
  var wrap = $(".w"), panel = $(".panel"), log = $(".log"), form = $("form");
  var input = $("textarea"), send = $(".send"), launcher = $(".launch"), close = $(".x");
  var fullScreen = window.matchMedia(FULL_SCREEN);
  wrap.lang = lang;
  $("h2").textContent = title;
  close.setAttribute("aria-label", T.close);
  $(".note b").textContent = T.note_lead;
  /* No space after full-width punctuation (Chinese), one after any other. */
  $(".note span").textContent = (/[\u3000-\u303f\uff00-\uffef]$/.test(T.note_lead) ? "" : " ") + T.note;
  log.setAttribute("aria-label", T.conversation);
  $("label").textContent = T.question_label;
  input.placeholder = T.placeholder;
  input.maxLength = CONFIG.maxChars;
  send.textContent = T.send;
  launcher.setAttribute("aria-label", say("open", { title: title }));
  if (data.position === "left") wrap.classList.add("left");
  applyColor(data.color);

  /* Session storage, falling back to memory where storage is blocked. */
  var memory = {};
  var storage = (function () {
    try {
      var s = window.sessionStorage, probe = storeKey + ":probe";
      s.setItem(probe, "1");
      s.removeItem(probe);
      return s;
    } catch (e) {
      return null;
    }
  })();
  function load() {
    var raw = null;
    try { raw = storage ? storage.getItem(storeKey) : memory[storeKey]; } catch (e) { raw = memory[storeKey]; }
    try { raw = raw ? JSON.parse(raw) : null; } catch (e) { raw = null; }
    return raw && Array.isArray(raw.messages) ? raw : { session: newId(), messages: [], open: null };
  }
  function save() {
    var raw = JSON.stringify(state);
    memory[storeKey] = raw;
    try { if (storage) storage.setItem(storeKey, raw); } catch (e) { storage = null; }
  }
  function newId() {
    var b = new Uint8Array(16);
    (window.crypto || window.msCrypto).getRandomValues(b);
    return Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
  }

  var state = load();
  var busy = false;

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text != null) node.textContent = text;
    return node;
  }

  function applyColor(color) {
    if (!color || !(window.CSS && CSS.supports("color", color))) return;
    wrap.style.setProperty("--a", color);
    var probe = el("span");
    probe.style.color = color;
    root.appendChild(probe);
    var rgb = (getComputedStyle(probe).color.match(/[\d.]+/g) || [0, 0, 0]).map(Number);
    probe.remove();
    var lum = rgb.slice(0, 3).reduce(function (sum, c, i) {
      c /= 255;
      c = c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
      return sum + c * [0.2126, 0.7152, 0.0722][i];
    }, 0);
    wrap.style.setProperty("--on", lum > 0.179 ? "#111" : "#fff");
    wrap.style.setProperty("--ink", lum > 0.179 ? "#1f2328" : color);
  }

  /* Write answer text with [n] markers as buttons that open source n. */
  function fillAnswer(node, text, details) {
    var parts = String(text).split(/\[(\d+)\]/);
    for (var i = 0; i < parts.length; i++) {
      if (i % 2 === 0) {
        if (parts[i]) node.appendChild(document.createTextNode(parts[i]));
        continue;
      }
      var target = details[parts[i]];
      if (!target) {
        node.appendChild(document.createTextNode("[" + parts[i] + "]"));
        continue;
      }
      var mark = el("button", "mk", "[" + parts[i] + "]");
      mark.type = "button";
      mark.setAttribute("aria-label", say("source", { n: parts[i] }));
      mark.addEventListener("click", openSource.bind(null, target));
      node.appendChild(mark);
    }
  }
  function openSource(details) {
    details.open = true;
    details.querySelector("summary").focus();
  }

  function sources(citations, details) {
    var box = el("div", "src");
    box.appendChild(el("p", null, T.sources));
    var list = el("ol");
    citations.forEach(function (c) {
      var item = el("li"), d = el("details"), s = el("summary");
      s.textContent = "[" + c.id + "] " + (c.section || T.section);
      d.appendChild(s);
      d.appendChild(el("blockquote", null, c.quote));
      d.appendChild(el("div", "file", c.source));
      item.appendChild(d);
      list.appendChild(item);
      details[c.id] = d;
    });
    box.appendChild(list);
    return box;
  }

  function render(msg) {
    if (msg.role === "user") return el("div", "m me", msg.content);
    if (msg.role === "error") return el("div", "m err", msg.content);
    var bubble = el("div", "m bot " + (msg.type || "answer"));
    var citations = msg.citations || [];
    var details = {};
    var box = citations.length ? sources(citations, details) : null;
    var body = el("div");
    if (msg.type === "closest") bubble.appendChild(el("p", "kind", T.closest));
    fillAnswer(body, msg.content, details);
    bubble.appendChild(body);
    if (box) bubble.appendChild(box);
    return bubble;
  }

  function add(node) {
    log.appendChild(node);
    log.scrollTop = log.scrollHeight;
    return node;
  }

  function renderAll() {
    log.textContent = "";
    add(el("div", "m bot greet", greeting));
    state.messages.forEach(function (m) { add(render(m)); });
  }

  function setOpen(open, focus) {
    panel.hidden = !open;
    panel.setAttribute("aria-modal", String(fullScreen.matches));
    launcher.setAttribute("aria-expanded", String(open));
    state.open = open;
    save();
    if (open) {
      log.scrollTop = log.scrollHeight;
      if (focus) input.focus();
    } else if (focus) {
      launcher.focus();
    }
  }

  function history() {
    return state.messages
      .filter(function (m) { return m.role === "user" || m.role === "assistant"; })
      .slice(-HISTORY_MESSAGES)
      .map(function (m) { return { role: m.role, content: m.content }; });
  }

  function fail(text) {
    state.messages.push({ role: "error", content: text });
    save();
    return text;
  }

  async function failure(res) {
    if (res.status === 429) {
      var wait = parseInt(res.headers.get("Retry-After") || "", 10);
      var time = wait === 1 ? T.second : wait > 0 ? say("seconds", { n: wait }) : T.moment;
      return say("wait", { time: time });
    }
    if (res.status === 403) return T.not_allowed;
    var detail = null;
    try { detail = (await res.json()).detail; } catch (e) { detail = null; }
    if (res.status < 500 && typeof detail === "string") return detail;
    return T.failed;
  }

  /* A refused cross-origin call and an outage look alike to fetch; an opaque probe tells them apart. */
  async function unreachable() {
    try {
      await fetch(api + "/api/health", { mode: "no-cors", cache: "no-store" });
      return T.not_allowed;
    } catch (e) {
      return T.unreachable;
    }
  }

  async function stream(res, bubble) {
    var reader = res.body.getReader(), decoder = new TextDecoder(), buffer = "", text = "";
    var live = el("div");
    bubble.textContent = "";
    bubble.appendChild(live);
    for (;;) {
      var chunk = await reader.read();
      if (chunk.done) break;
      buffer += decoder.decode(chunk.value, { stream: true });
      var sep;
      while ((sep = /\r?\n\r?\n/.exec(buffer))) {
        var block = buffer.slice(0, sep.index);
        buffer = buffer.slice(sep.index + sep[0].length);
        var event = "message", lines = [];
        block.split(/\r?\n/).forEach(function (line) {
          if (line.indexOf("event:") === 0) event = line.slice(6).trim();
          else if (line.indexOf("data:") === 0) lines.push(line.slice(5).replace(/^ /, ""));
        });
        if (!lines.length) continue;
        var payload = JSON.parse(lines.join("\n"));
        if (event === "delta") {
          text += payload.text;
          live.textContent = text;
          log.scrollTop = log.scrollHeight;
        } else if (event === "done") {
          return payload;
        } else if (event === "error") {
          throw new Error(payload.message || T.interrupted);
        }
      }
    }
    throw new Error(T.interrupted);
  }

  async function ask(question) {
    /* The button stays focusable while busy (aria-disabled), so focus never drops to the page. */
    busy = true;
    send.setAttribute("aria-disabled", "true");
    var past = history();
    state.messages.push({ role: "user", content: question });
    save();
    add(render(state.messages[state.messages.length - 1]));
    var bubble = add(el("div", "m bot"));
    bubble.setAttribute("aria-busy", "true");
    bubble.appendChild(el("span", "dots", T.thinking));
    var message;
    try {
      var res;
      try {
        res = await fetch(api + "/api/chat/stream", {
          method: "POST",
          headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
          body: JSON.stringify({ message: question, history: past, posting: posting, session_id: state.session })
        });
      } catch (e) {
        message = fail(await unreachable());
      }
      if (res && !res.ok) message = fail(await failure(res));
      if (res && res.ok) {
        var done = await stream(res, bubble);
        var answer = { role: "assistant", content: done.answer, citations: done.citations || [], type: done.answer_type };
        state.messages.push(answer);
        save();
        bubble.replaceWith(render(answer));
      }
    } catch (e) {
      message = fail(e.message || T.interrupted);
    }
    if (message) bubble.replaceWith(render({ role: "error", content: message }));
    log.scrollTop = log.scrollHeight;
    busy = false;
    send.removeAttribute("aria-disabled");
  }

  /* Tab and Shift+Tab wrap around inside a full-screen panel instead of reaching the page behind it. */
  function trapTab(e) {
    if (!fullScreen.matches) return;
    var items = Array.prototype.filter.call(panel.querySelectorAll("button,textarea,summary"), function (n) {
      return n.offsetParent !== null;
    });
    var edge = e.shiftKey ? items[0] : items[items.length - 1];
    if (root.activeElement === edge) {
      e.preventDefault();
      (e.shiftKey ? items[items.length - 1] : items[0]).focus();
    }
  }

  launcher.addEventListener("click", function () { setOpen(panel.hidden, true); });
  close.addEventListener("click", function () { setOpen(false, true); });
  panel.addEventListener("keydown", function (e) {
    if (e.key === "Escape") {
      e.stopPropagation();
      setOpen(false, true);
    } else if (e.key === "Tab") {
      trapTab(e);
    }
  });
  fullScreen.addEventListener("change", function () { panel.setAttribute("aria-modal", String(fullScreen.matches)); });
  document.addEventListener("focusin", function (e) {
    if (!panel.hidden && fullScreen.matches && e.target !== host) input.focus();
  });
  input.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit", { cancelable: true }));
    }
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var question = input.value.trim();
    if (!question || busy) return;
    input.value = "";
    ask(question);
  });

  function mount() {
    document.body.appendChild(host);
    renderAll();
    setOpen(state.open === null ? "open" in data && data.open !== "false" : state.open, false);
  }
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);
})();
