"""The story bank's pieces: the story list and search, the write/edit form, coverage, rehearsal, and the
linked stories shown beside a behavioral question while studying.

Session state used here:
- ``stories.view``: which view of the Story bank is on screen (VIEWS).
- ``stories.editing``: the id of the story in the form, or None for a new one.
- ``stories.search`` / ``stories.themes``: the list's search text and theme filter.
- ``stories.rehearsal``: the rehearsal running, ``{"id", "story_id", "started_at"}`` (epoch seconds).
- ``stories.confirm_delete``: the story id waiting for "Yes, delete".
- ``stories.notice`` / ``stories.error``: one message for the next run.
Form fields: ``story.title``, ``story.situation`` ... ``story.learned``, ``story.themes``, ``story.questions``.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

import streamlit as st

from components import messages, pages
from components.context import Context
from components.timer import render_timer
from mlprep import stories
from mlprep.db import StoreError
from mlprep.mock import format_duration
from mlprep.recordings import RecordingError, save_recording
from mlprep.text import inert_markdown

VIEW = "stories.view"
EDITING = "stories.editing"
SEARCH = "stories.search"
THEME_FILTER = "stories.themes"
REHEARSAL = "stories.rehearsal"
CONFIRM_DELETE = "stories.confirm_delete"
ERROR, NOTICE = messages.keys("stories")
LIST, WRITE, COVERAGE = "My stories", "Write a story", "Coverage"
VIEWS = (LIST, WRITE, COVERAGE)
FIELD_KEYS = {name: f"story.{name}" for name in stories.STAR_FIELDS}
TITLE_KEY, THEMES_KEY, QUESTIONS_KEY = "story.title", "story.themes", "story.questions"
FIELD_HELP = {
    "situation": "Two sentences: where, when, and what was at stake.",
    "task": "What you were responsible for.",
    "action": "What you did, in order, with 'I'.",
    "result": "What changed, with a number.",
    "learned": "What you would do differently now.",
}


def _one_line(text: str) -> str:
    return inert_markdown(" ".join(str(text).split()))


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def render_messages() -> None:
    messages.show("stories")


def render_star(story: stories.Story) -> None:
    """The story's STAR text, one labelled paragraph per field written."""
    for name in stories.STAR_FIELDS:
        text = getattr(story, name).strip()
        if text:
            st.markdown(f"**{stories.FIELD_LABELS[name]}:** {inert_markdown(text)}")


# -- shown while studying ----------------------------------------------------------------------------------------


def render_linked_stories(ctx: Context, question: dict[str, Any]) -> None:
    """Beside a behavioral question: the candidate's stories linked to it, or a nudge to write one."""
    try:
        linked = stories.stories_for_question(ctx.store, question["id"])
    except StoreError:
        return
    if not linked and not stories.is_behavioral(question):
        return
    st.markdown("**Your stories for this question**")
    if not linked:
        st.caption("No story linked to this question yet.")
        st.page_link(pages.STORIES.path, label="Write one in the Story bank", icon=":material/auto_stories:")
        return
    for story in linked:
        with st.expander(_one_line(story.title), expanded=len(linked) == 1, icon=":material/auto_stories:"):
            if story.themes:
                st.caption(inert_markdown(" · ".join(story.themes)))
            render_star(story)


# -- the list ----------------------------------------------------------------------------------------------------


def render_search(all_stories: list[stories.Story]) -> list[stories.Story]:
    """The search box and theme filter; returns the stories that match."""
    cols = st.columns([3, 2])
    cols[0].text_input("Search your stories", key=SEARCH, placeholder="a word from any part of the story")
    cols[1].multiselect("Themes", stories.THEMES, key=THEME_FILTER, placeholder="Any theme")
    return stories.search(all_stories, st.session_state.get(SEARCH) or "", st.session_state.get(THEME_FILTER) or ())


def _on_edit(story: stories.Story) -> None:
    st.session_state[EDITING] = story.id
    st.session_state[TITLE_KEY] = story.title
    for name, key in FIELD_KEYS.items():
        st.session_state[key] = getattr(story, name)
    st.session_state[THEMES_KEY] = list(story.themes)
    st.session_state[QUESTIONS_KEY] = list(story.question_ids)
    st.session_state[VIEW] = WRITE


def _on_delete(ctx: Context, story_id: str, confirmed: bool) -> None:
    if not confirmed:
        st.session_state[CONFIRM_DELETE] = story_id
        return
    st.session_state.pop(CONFIRM_DELETE, None)
    try:
        stories.delete_story(ctx.store, story_id)
    except StoreError as exc:
        st.session_state[ERROR] = str(exc)
        return
    st.session_state[NOTICE] = "Story deleted."


def _on_rehearse(story_id: str) -> None:
    st.session_state[REHEARSAL] = {"id": uuid.uuid4().hex, "story_id": story_id, "started_at": time.time()}


def render_story_list(ctx: Context, found: list[stories.Story], total: int, bank_prompts: dict[str, str]) -> None:
    if not total:
        st.info("No stories yet. Write your first one: a time you disagreed, failed, led or shipped under pressure.",
                icon=":material/edit_note:")
        st.button("Write a story", key="stories_first", on_click=lambda: st.session_state.update({VIEW: WRITE}))
        return
    st.caption(f"{len(found)} of {total} stories")
    for story in found:
        render_story_card(ctx, story, bank_prompts)


def render_story_card(ctx: Context, story: stories.Story, bank_prompts: dict[str, str]) -> None:
    with st.container(border=True):
        st.markdown(f"#### {_one_line(story.title)}")
        st.caption(inert_markdown(" · ".join(story.themes)) if story.themes else "No theme yet")
        with st.expander("The story (STAR)"):
            render_star(story)
        if story.question_ids:
            st.markdown("Answers:\n" + "\n".join(
                f"- {_one_line(_short(bank_prompts.get(q, q)))} (`{q}`)" for q in story.question_ids))
        for hint in stories.hints(story):
            st.caption(f":material/lightbulb: {hint}")
        times = stories.rehearsals(ctx.store, story.id)
        if times:
            st.caption("Rehearsed: " + ", ".join(
                format_duration(r.duration_s) + (f" ({r.duration_s - r.target_s:.0f} s over)"
                                                 if r.duration_s > r.target_s else "") for r in times))
        cols = st.columns([1, 1, 1, 3])
        cols[0].button("Edit", key=f"story_edit_{story.id}", on_click=_on_edit, args=(story,), icon=":material/edit:")
        cols[1].button("Rehearse", key=f"story_rehearse_{story.id}", on_click=_on_rehearse, args=(story.id,),
                       icon=":material/record_voice_over:", help="Tell it out loud in two minutes, timed")
        cols[2].button("Delete", key=f"story_delete_{story.id}", on_click=_on_delete, args=(ctx, story.id, False),
                       icon=":material/delete:")
        if st.session_state.get(CONFIRM_DELETE) == story.id:
            st.warning("Delete this story with its links and rehearsal times? This cannot be undone.")
            yes, no = st.columns([1, 5])
            yes.button("Yes, delete", key=f"story_delete_yes_{story.id}", type="primary", on_click=_on_delete,
                       args=(ctx, story.id, True))
            no.button("Keep it", key=f"story_delete_no_{story.id}",
                      on_click=lambda: st.session_state.pop(CONFIRM_DELETE, None))


# -- write / edit ---------------------------------------------------------------------------------------------------


def _clear_form() -> None:
    st.session_state[EDITING] = None
    for key in (TITLE_KEY, *FIELD_KEYS.values()):
        st.session_state[key] = ""
    st.session_state[THEMES_KEY] = []
    st.session_state[QUESTIONS_KEY] = []


def _on_save(ctx: Context) -> None:
    story = stories.Story(
        id=st.session_state.get(EDITING) or "",
        title=st.session_state.get(TITLE_KEY) or "",
        themes=list(st.session_state.get(THEMES_KEY) or []),
        question_ids=list(st.session_state.get(QUESTIONS_KEY) or []),
        **{name: st.session_state.get(key) or "" for name, key in FIELD_KEYS.items()},
    )
    try:
        stories.save_story(ctx.store, story)
    except (stories.StoryError, StoreError) as exc:
        st.session_state[ERROR] = str(exc)
        return
    st.session_state[NOTICE] = f"Saved “{' '.join(story.title.split())}”."
    _clear_form()
    st.session_state[SEARCH] = ""
    st.session_state[THEME_FILTER] = []
    st.session_state[VIEW] = LIST


def render_story_form(ctx: Context, behavioral: dict[str, str]) -> None:
    """Write a new story or edit the one chosen; ``behavioral`` maps question id -> prompt."""
    editing = st.session_state.get(EDITING)
    st.subheader("Edit story" if editing else "Write a story")
    st.caption("Situation and task in a sentence or two each, most of the time on your actions (with 'I'), a "
               "result with a number, and what you learned. Link it to the behavioral questions it answers.")
    with st.form("story_form", border=False):
        st.text_input("Title", key=TITLE_KEY, placeholder="e.g. The churn model nobody trusted")
        for name, key in FIELD_KEYS.items():
            st.text_area(stories.FIELD_LABELS[name], key=key, height=110 if name == "action" else 80,
                         placeholder=FIELD_HELP[name])
        st.multiselect("Themes", stories.THEMES, key=THEMES_KEY, placeholder="conflict, failure, leadership...")
        st.multiselect("Behavioral questions it answers", list(behavioral), key=QUESTIONS_KEY,
                       format_func=lambda q: f"{_short(behavioral.get(q, q), 100)} ({q})",
                       placeholder="Type a few words of a question")
        st.form_submit_button("Save story", type="primary", on_click=_on_save, args=(ctx,), icon=":material/save:")
    if editing:
        st.button("Cancel editing", key="story_cancel", on_click=_clear_form)


# -- coverage ---------------------------------------------------------------------------------------------------------


def _on_write_for(theme: str | None = None, question_id: str | None = None) -> None:
    """"Write a story" beside a gap: a fresh form with that theme or question already filled in."""
    _clear_form()
    st.session_state[THEMES_KEY] = [theme] if theme else []
    st.session_state[QUESTIONS_KEY] = [question_id] if question_id else []
    st.session_state[VIEW] = WRITE


def _on_link(ctx: Context, key: str, theme: str | None = None, question_id: str | None = None) -> None:
    """A story picked in "Link an existing story": attach it to the theme or question at once."""
    story_id = st.session_state.get(key)
    if not story_id:
        return
    st.session_state[key] = None
    try:
        found = (stories.add_theme(ctx.store, story_id, theme) if theme
                 else stories.link_question(ctx.store, story_id, str(question_id)))
    except (stories.StoryError, StoreError) as exc:
        st.session_state[ERROR] = f"The story was not linked: {exc}"
        return
    if not found:
        st.session_state[ERROR] = "That story is gone (deleted in another tab?); pick another one."
        return
    story = stories.get_story(ctx.store, story_id)
    title = " ".join(story.title.split()) if story else "the story"
    st.session_state[NOTICE] = (f"Tagged “{title}” with {theme}." if theme
                                else f"Linked “{title}” to {question_id}.")


def _gap_row(ctx: Context, text: str, key: str, titles: dict[str, str], theme: str | None = None,
             question_id: str | None = None) -> None:
    """One uncovered theme or question with its two actions: write a story for it, or link one you have."""
    with st.container(key=f"story_gap_{key}"):
        cols = st.columns([5, 2, 3], vertical_alignment="center")
        cols[0].markdown(text)
        cols[1].button("Write a story", key=f"story_write_{key}", icon=":material/edit_note:",
                       on_click=_on_write_for, kwargs={"theme": theme, "question_id": question_id})
        link_key = f"story_link_{key}"
        if titles:
            cols[2].selectbox("Link an existing story", list(titles), key=link_key, index=None,
                              format_func=lambda sid: _short(titles.get(sid, sid), 60),
                              placeholder="Link an existing story…", label_visibility="collapsed",
                              on_change=_on_link, args=(ctx, link_key),
                              kwargs={"theme": theme, "question_id": question_id})


def render_coverage(ctx: Context, all_stories: list[stories.Story], behavioral: dict[str, str]) -> None:
    """Which themes and behavioral questions have no story (each with "write a story" and "link an existing
    story"), stretched stories, and per-story hints."""
    cover = stories.coverage(all_stories, list(behavioral))
    cols = st.columns(3)
    cols[0].metric("Stories", len(all_stories))
    cols[1].metric("Themes covered", f"{cover.themes_covered} of {len(stories.THEMES)}")
    cols[2].metric("Behavioral questions with a story", f"{cover.questions_covered} of {cover.questions_total}")
    for story, count in cover.stretched:
        st.warning(f"“{_one_line(story.title)}” is linked to {count} questions (more than "
                   f"{stories.MAX_QUESTIONS_PER_STORY}): told again and again it sounds thin. Write another story "
                   "for some of them.", icon=":material/warning:")
    titles = {s.id: " ".join(s.title.split()) for s in all_stories}
    st.markdown(f"**Themes with no story yet** ({len(cover.themes_without_story)})")
    if cover.themes_without_story:
        if not titles:
            st.caption("Write a story for a theme; once you have stories you can also tag one with it here.")
        for theme in cover.themes_without_story:
            _gap_row(ctx, inert_markdown(theme), f"theme_{theme}", titles, theme=theme)
    else:
        st.caption("Every theme has a story.")
    st.markdown(f"**Behavioral questions with no story yet** ({len(cover.questions_without_story)})")
    if cover.questions_without_story:
        for q in cover.questions_without_story:
            _gap_row(ctx, f"{_one_line(behavioral[q])} (`{q}`)", f"question_{q}", titles, question_id=q)
    else:
        st.caption("Every behavioral question has a story.")
    with_hints = [(s, stories.hints(s)) for s in all_stories]
    with_hints = [(s, h) for s, h in with_hints if h]
    if with_hints:
        st.markdown("**Completeness hints**")
        for story, found in with_hints:
            st.markdown(f"*{_one_line(story.title)}*\n" + "\n".join(f"- {h}" for h in found))


# -- rehearsal ---------------------------------------------------------------------------------------------------------


def _on_rehearsal_done(ctx: Context) -> None:
    running = st.session_state.get(REHEARSAL)
    if not running:
        return  # a double click: already kept
    audio_path = None
    clip = st.session_state.get(f"rehearse_audio_{running['id']}")
    if clip is not None:
        try:
            audio_path, _ = save_recording(ctx.store.directory, f"rehearsal-{running['id']}", clip.getvalue())
        except (RecordingError, OSError) as exc:
            st.session_state[ERROR] = f"The recording could not be saved ({exc}); the time was kept."
    started = float(running["started_at"])
    try:
        stories.record_rehearsal(ctx.store, running["id"], running["story_id"], started, audio_path=audio_path)
    except StoreError as exc:
        st.session_state[ERROR] = f"The rehearsal time was not saved: {exc}"
        return
    st.session_state.pop(REHEARSAL, None)
    took = time.time() - started
    st.session_state[NOTICE] = f"Rehearsal kept: {format_duration(took)} of {format_duration(stories.REHEARSE_S)}."


def render_rehearsal(ctx: Context) -> None:
    """The rehearsal running, if any: the story, a two-minute timer, an optional recording, Done."""
    running = st.session_state.get(REHEARSAL)
    if not running:
        return
    story = stories.get_story(ctx.store, running["story_id"])
    if story is None:
        st.session_state.pop(REHEARSAL, None)
        return
    with st.container(border=True):
        st.markdown(f"#### Rehearse: {_one_line(story.title)}")
        st.caption(f"Tell it out loud in {format_duration(stories.REHEARSE_S)}: situation and task briefly, "
                   "most of the time on what you did, then the result with its number.")
        render_timer(int(running["id"][:8], 16), time.time() - float(running["started_at"]), stories.REHEARSE_S)
        with st.expander("Peek at your notes"):
            render_star(story)
        st.audio_input("Record it (optional, saved only on this computer)", key=f"rehearse_audio_{running['id']}")
        cols = st.columns([1, 1, 4])
        cols[0].button("Done", key="rehearse_done", type="primary", on_click=_on_rehearsal_done, args=(ctx,),
                       icon=":material/check:")
        cols[1].button("Cancel", key="rehearse_cancel", on_click=lambda: st.session_state.pop(REHEARSAL, None))
