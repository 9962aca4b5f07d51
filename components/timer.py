"""The answer timer: ticks in the browser every second, with no server rerun.

Only numbers go into the script (elapsed ms at render time, the target in
seconds, a numeric element id); never question or user text.
"""

from __future__ import annotations

import streamlit as st

_TEMPLATE = """
<div id="mlprep-timer-{uid}" class="mlprep-timer" data-testid="mlprep-timer"
     style="font: 600 1.05rem/1.4 ui-monospace, monospace; padding: .35rem .7rem; border-radius: .5rem;
            display: inline-block; background: rgba(59, 91, 219, .08); color: inherit;">0:00 / {target_text}</div>
<script>
(function () {{
  const el = document.getElementById("mlprep-timer-{uid}");
  if (!el) return;
  const t0 = performance.now(), start = {elapsed_ms}, target = {target_s};
  const fmt = s => Math.floor(s / 60) + ":" + String(Math.floor(s % 60)).padStart(2, "0");
  function tick() {{
    if (!document.body.contains(el)) {{ clearInterval(handle); return; }}
    const s = (start + performance.now() - t0) / 1000;
    if (s <= target) {{
      el.textContent = fmt(s) + " / " + fmt(target);
      el.style.background = "rgba(59, 91, 219, .08)";
    }} else {{
      el.textContent = fmt(s) + " / " + fmt(target) + " \u00b7 " + Math.round(s - target) + " s over: time to wrap up";
      el.style.background = "rgba(242, 193, 46, .22)";
    }}
  }}
  const handle = setInterval(tick, 1000);
  tick();
}})();
</script>
"""


def _fmt(seconds: int) -> str:
    return f"{seconds // 60}:{seconds % 60:02d}"


def timer_html(uid: int, elapsed_s: float, target_s: int) -> str:
    """The timer's HTML and script; only numbers are inserted."""
    return _TEMPLATE.format(uid=int(uid), elapsed_ms=int(max(0.0, elapsed_s) * 1000), target_s=int(target_s),
                            target_text=_fmt(int(target_s)))


def render_timer(uid: int, elapsed_s: float, target_s: int) -> None:
    st.html(timer_html(uid, elapsed_s, target_s), unsafe_allow_javascript=True)
