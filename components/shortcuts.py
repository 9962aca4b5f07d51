"""The Study card's keyboard: one listener that works whatever has the focus, except a text box.

Streamlit's own ``shortcut=`` keys stop working once a checkbox or a button has the focus (after a mouse click on
a rubric point, 1-4 did nothing). This script listens on the window in the capture phase, before Streamlit's
handlers, and clicks the card's buttons and rubric checkboxes itself, found by their ``st-key-<key>`` classes
(the widget keys in components/keys.py). Keys: Space starts answering / reveals, 1-4 rate, 5 rates from the
ticks, a letter ticks its rubric point (the letter is shown on the point), U undoes, Escape leaves any box.
In a text box every key types, except Escape, which leaves the box.

It also puts the focus in the answer box (or the clarify box) when a new card is shown, and after a reveal
scrolls the rubric and the rate buttons into view when they are below the window's edge.

Only the review id (hex digits, checked) and the phase (one of three words) go into the HTML; never user text.
"""

from __future__ import annotations

import re

import streamlit as st

RUBRIC_KEYS = "abcdefghijklmnopqrstvwxyz"  # every letter but U (undo); point i gets RUBRIC_KEYS[i]
PHASES = ("clarify", "answer", "revealed")

_TEMPLATE = """
<div data-mlprep-study-keys="1" data-rid="{rid}" data-phase="{phase}" style="display:none"></div>
<script>
(function () {{
  const W = window;
  const LETTERS = "{letters}";
  const marker = () => document.querySelector("[data-mlprep-study-keys]");
  const isTextBox = el => !!el && (el.isContentEditable || el.tagName === "TEXTAREA" || el.tagName === "SELECT"
    || (el.tagName === "INPUT" && !["checkbox", "radio", "button", "submit", "range"].includes(el.type)));
  const find = sel => document.querySelector(sel);
  function press(sel) {{
    const el = find(sel);
    if (!el || el.disabled) return false;
    el.click();
    return true;
  }}
  function onKey(e) {{
    const m = marker();
    if (!m || e.ctrlKey || e.metaKey || e.altKey || typeof e.key !== "string") return;
    const rid = m.dataset.rid, phase = m.dataset.phase, t = e.target;
    if (e.key === "Escape") {{
      const active = document.activeElement;
      if (active && active !== document.body && active.blur) {{
        active.blur();
        e.preventDefault();
        e.stopImmediatePropagation();
      }}
      return;
    }}
    if (isTextBox(t) || e.repeat) return;
    const k = e.key.toLowerCase();
    let done = false;
    if (k === " ") {{
      if (phase === "clarify") done = press(".st-key-start_" + rid + " button");
      else if (phase === "answer") done = press(".st-key-reveal_" + rid + " button");
    }} else if (k === "u") {{
      done = press(".st-key-undo button");
    }} else if (phase === "revealed" && k >= "1" && k <= "4") {{
      done = press(".st-key-rate_" + rid + "_" + k + " button");
    }} else if (phase === "revealed" && k === "5") {{
      done = press(".st-key-rate_" + rid + "_auto button");
    }} else if (phase === "revealed" && k.length === 1 && LETTERS.indexOf(k) >= 0) {{
      done = press(".st-key-hit_" + rid + "_" + LETTERS.indexOf(k) + " input[type=checkbox]");
    }}
    if (done) {{
      e.preventDefault();
      e.stopImmediatePropagation();
    }}
  }}
  if (!W.__mlprepStudyKeys) {{
    W.__mlprepStudyKeys = true;
    W.addEventListener("keydown", onKey, true);
  }}
  // Once per card and phase: focus the box to type in, or bring the rubric and rate buttons into view.
  const rid = "{rid}", phase = "{phase}", once = rid + ":" + phase;
  if (W.__mlprepStudyOnce === once) return;
  W.__mlprepStudyOnce = once;
  let tries = 0;
  (function settle() {{
    tries += 1;
    if (phase === "revealed") {{
      const rate = find(".st-key-rate_row_" + rid), rubric = find(".st-key-rubric_" + rid);
      if (rate && rubric) {{
        const bottom = rate.getBoundingClientRect().bottom + 12;
        if (bottom > W.innerHeight) {{  // the prompt too when everything fits, else the rubric from its top
          const prompt = find("[data-testid=stMain] h4");  // the question's first paragraph
          const fits = prompt && bottom - prompt.getBoundingClientRect().top <= W.innerHeight;
          (fits ? prompt : rubric).scrollIntoView({{block: "start"}});
        }}
        return;
      }}
    }} else {{
      const box = find(".st-key-" + phase + "_" + rid + " textarea");
      if (box) {{
        if (!isTextBox(document.activeElement)) box.focus();
        return;
      }}
    }}
    if (tries < 120) requestAnimationFrame(settle);
  }})();
}})();
</script>
"""


def shortcuts_html(review_id: str, phase: str) -> str:
    """The listener and the card's marker; only a hex review id and a known phase are inserted."""
    if not re.fullmatch(r"[0-9a-f]{1,64}", review_id) or phase not in PHASES:
        raise ValueError("a review id is hex digits and a phase is clarify, answer or revealed")
    return _TEMPLATE.format(rid=review_id, phase=phase, letters=RUBRIC_KEYS)


def render_shortcuts(review_id: str, phase: str) -> None:
    st.html(shortcuts_html(review_id, phase), unsafe_allow_javascript=True)
