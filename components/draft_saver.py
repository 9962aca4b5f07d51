"""Keep a mock answer box's text as the candidate types, not only when the box loses focus.

``st.text_area`` sends its value to the server on blur or Ctrl+Enter only, so a reload while typing
lost the draft. This fixed script (no user text, no numbers from the page) listens for typing in the
mock answer boxes and, a moment after the typing pauses, commits the box the way Ctrl+Enter does.
The commit runs the box's ``on_change`` (which saves the draft in the database); focus and the caret
stay where they are, so typing simply goes on.
"""

from __future__ import annotations

import streamlit as st

# The text areas whose drafts are committed: the containers Streamlit marks with each widget's key.
BOX_SELECTOR = '[class*="st-key-mock_answer_"] textarea, [class*="st-key-mock_followup_"] textarea'
PAUSE_MS = 800  # commit this long after the last keystroke (a reload is safe within about 2 s)

_SCRIPT = """
<script>
(function () {
  const w = window.parent && window.parent.document ? window.parent : window;
  if (w.__mlprepDraftSaver) return;
  w.__mlprepDraftSaver = true;
  const pending = new WeakMap();
  function commit(box) {
    if (!box.isConnected) return;
    box.dispatchEvent(new KeyboardEvent("keydown", {key: "Enter", code: "Enter", ctrlKey: true,
                                                   bubbles: true, cancelable: true}));
  }
  w.document.addEventListener("input", function (event) {
    const box = event.target;
    if (!box || !box.matches || !box.matches(%(selector)s)) return;
    clearTimeout(pending.get(box));
    pending.set(box, setTimeout(function () { commit(box); }, %(pause)d));
  }, true);
})();
</script>
"""


def draft_saver_html() -> str:
    """The script; only the constants above go into it."""
    selector = BOX_SELECTOR.replace("\\", "\\\\").replace('"', '\\"')
    return _SCRIPT % {"selector": f'"{selector}"', "pause": PAUSE_MS}


def render_draft_saver() -> None:
    """Install the saver on the page (once per browser tab; rendering it again does nothing)."""
    st.html(draft_saver_html(), unsafe_allow_javascript=True)
