"""Accessibility checks run inside a page: axe-core, focus indicators, field borders and reflow.

axe-core is the real npm package, installed by `make axe` under the
virtualenv (sys.prefix/node). It runs the WCAG 2.0-2.2 A/AA and
best-practice rules; any violation fails unless its node sits in Gradio's
own markup and is listed in GRADIO_ALLOWED with the reason it is not ours.
The other checks cover what axe does not measure: whether the focused
element shows an indicator with 3:1 contrast against what surrounds it
(WCAG 2.4.7, 1.4.11), whether form fields have borders with 3:1 contrast
(1.4.11), and whether a page scrolls sideways (1.4.10).
"""

from __future__ import annotations

import sys
from dataclasses import asdict, dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page

AXE_SCRIPT = Path(sys.prefix) / "node" / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]
MIN_NON_TEXT_CONTRAST = 3.0


@dataclass(frozen=True)
class Allowed:
    """A violation tolerated in markup the app does not write (rule id, where, why)."""

    rule: str
    within: str  # CSS selector of the Gradio element the node must sit in
    reason: str


# Gradio renders these; the app's own markup (ids and classes starting cc-, the widget,
# the demo page and the console) has no entry here and must have no violation at all.
GRADIO_ALLOWED: list[Allowed] = [
    Allowed(
        rule="aria-required-children",
        within="#cc-chatbot .examples",
        reason=(
            "Gradio's own markup: the example list has role=list with <button> children, not list items. "
            "The chat page's script drops the role as a workaround (bot/web/static/chat_page.js); to report upstream."
        ),
    ),
]

# Shared JavaScript: colour parsing, WCAG contrast, the colour behind an element (through shadow roots),
# and the element that really has focus (inside shadow roots too).
HELPERS = """
const parse = (c) => { const m = String(c).match(/[\\d.]+/g) || [0, 0, 0, 0];
  return {r: +m[0], g: +m[1], b: +m[2], a: m.length > 3 ? +m[3] : 1}; };
const lum = (c) => [c.r, c.g, c.b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
  .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
const up = (el) => el.parentElement || (el.getRootNode() instanceof ShadowRoot ? el.getRootNode().host : null);
const behind = (el) => { for (let n = el; n; n = up(n)) { const c = parse(getComputedStyle(n).backgroundColor);
  if (c.a > 0.5) return c; } return {r: 255, g: 255, b: 255, a: 1}; };
const deepActive = () => { let el = document.activeElement;
  while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement; return el; };
"""

FOCUS_STATE = (
    "async () => {"
    + HELPERS
    + """
  const el = deepActive();
  if (!el || el === document.body) return {where: 'body', ring: 0, visible: false, inPanel: false};
  // Let a focus transition (Gradio fades outlines in) finish before measuring, as the eye would.
  await Promise.race([Promise.all(el.getAnimations().map((a) => a.finished.catch(() => null))),
                      new Promise((done) => setTimeout(done, 1000))]);
  const s = getComputedStyle(el);
  const colours = [];
  if (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) colours.push(parse(s.outlineColor));
  if (s.boxShadow !== 'none') for (const m of s.boxShadow.matchAll(/rgba?\\([^)]*\\)/g)) colours.push(parse(m[0]));
  const around = behind(up(el));
  const ring = Math.max(0, ...colours.filter((c) => c.a > 0.5).map((c) => ratio(c, around)));
  const box = el.getBoundingClientRect();
  const onScreen = box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0
    && box.top < innerHeight && box.left < innerWidth && el.checkVisibility();
  // The ring is drawn outside the box by outline-offset + outline-width; an ancestor that clips overflow may hide it.
  const reach = Math.max(0, parseFloat(s.outlineOffset) + parseFloat(s.outlineWidth));
  let clipped = false;
  for (let n = up(el); n && n !== document.documentElement; n = up(n)) {
    const c = getComputedStyle(n);
    if (c.overflowX === 'visible' && c.overflowY === 'visible') continue;
    const r = n.getBoundingClientRect();
    if (box.left - reach < r.left - 0.5 || box.right + reach > r.right + 0.5 || box.top - reach < r.top - 0.5
        || box.bottom + reach > r.bottom + 0.5) { clipped = n.tagName.toLowerCase() + '.' + String(n.className).split(' ')[0]; break; }
  }
  const panel = document.getElementById('careers-chat-widget')?.shadowRoot?.querySelector('.panel');
  return {where: el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className ? '.' + String(el.className).trim().split(/\\s+/).join('.') : ''),
          ring, clipped, visible: onScreen, inPanel: !!panel && panel.contains(el)};
}"""
)

WEAK_BORDERS = (
    "(minimum) => {"
    + HELPERS
    + """
  const roots = [document, ...[...document.querySelectorAll('*')].filter((e) => e.shadowRoot).map((e) => e.shadowRoot)];
  const fields = roots.flatMap((r) => [...r.querySelectorAll('textarea, input:not([type=hidden]):not([type=file]), select')]);
  return fields.filter((f) => f.checkVisibility()).map((f) => {
    const s = getComputedStyle(f);
    const edge = ratio(parse(s.borderTopColor), behind(up(f)));
    const fill = ratio(parse(s.backgroundColor).a > 0.5 ? parse(s.backgroundColor) : behind(up(f)), behind(up(f)));
    return {field: f.id || f.name || f.tagName.toLowerCase(), edge, fill, width: parseFloat(s.borderTopWidth)};
  }).filter((f) => (f.width < 1 || f.edge < minimum) && f.fill < minimum)
    .map((f) => `${f.field}: border ${f.edge.toFixed(2)}:1`);
}"""
)

RUN_AXE = """async ([tags, allowed]) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  const found = [];
  for (const rule of result.violations) for (const node of rule.nodes) {
    const el = node.target.length === 1 ? document.querySelector(node.target[0]) : null;
    if (allowed.some((a) => a.rule === rule.id && el && el.closest(a.within))) continue;
    found.push(`${rule.id} (${rule.impact}) at ${node.target.join(' >>> ')}: ${node.failureSummary.replace(/\\s+/g, ' ')}`);
  }
  return found;
}"""


def axe_violations(page: Page) -> list[str]:
    """Run axe-core on the page as it is now; return the violations not on the Gradio allow-list."""
    if not AXE_SCRIPT.exists():
        pytest.fail(f"{AXE_SCRIPT} is missing: run `make axe`")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # evaluate, not a <script> tag: the console's CSP forbids inline scripts.
        page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8") + "\n;0")
    return page.evaluate(RUN_AXE, [AXE_TAGS, [asdict(a) for a in GRADIO_ALLOWED]])


def focus_state(page: Page) -> dict:
    """Describe the focused element: `where` (tag#id.classes), `ring` contrast, `clipped` (by which ancestor, or
    false), `visible`, `inPanel`."""
    return page.evaluate(FOCUS_STATE)


def focus_problem(state: dict) -> str | None:
    """Say what keeps a focused element's indicator from being seen (None: it is seen)."""
    if not state["visible"]:
        return f"{state['where']} is not on screen"
    if state["ring"] < MIN_NON_TEXT_CONTRAST:
        return f"{state['where']} shows a focus ring of {state['ring']:.2f}:1"
    if state["clipped"]:
        return f"{state['where']} has its focus ring cut off by {state['clipped']}"
    return None


def weak_field_borders(page: Page) -> list[str]:
    """Return the visible form fields whose edge has under 3:1 contrast with what surrounds it."""
    return page.evaluate(WEAK_BORDERS, MIN_NON_TEXT_CONTRAST)


def faded(page: Page, selector: str) -> float:
    """Return the lowest opacity at which any element matching selector is drawn (its ancestors' opacity included)."""
    return page.evaluate(
        """(selector) => Math.min(1, ...[...document.querySelectorAll(selector)].map((el) => {
             let opacity = 1;
             for (let n = el; n; n = n.parentElement) opacity *= parseFloat(getComputedStyle(n).opacity);
             return opacity; }))""",
        selector,
    )


def sideways_overflow(page: Page) -> int:
    """Return how many CSS pixels the page scrolls sideways (0 or less: it does not)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
