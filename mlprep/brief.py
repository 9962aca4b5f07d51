"""The interview-day brief: the one document to read the night before.

Three parts, from what is already in the app: your loop's plan (the date, the round types you chose and how
ready each of their categories is), your weakest areas from the one ranking (``Workspace.weak_areas``) with
the strong-answer outline of their next questions and the rubric points you usually miss, and your STAR
stories grouped by theme with the questions each one answers. As Markdown or as a self-contained HTML page
that prints on A4 and Letter (no remote fonts, images or scripts).

Home and the Dashboard offer it as downloads; ``python -m mlprep brief`` writes it.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from mlprep import stories as stories_mod
from mlprep.study import ROUND_TYPES
from mlprep.workspace import Workspace

FORMATS = ("md", "html")
BRIEF_AREAS = 3  # weakest areas in the brief: the night before is for a few things, not everything
QUESTIONS_PER_AREA = 2
MAX_OUTLINE = 6  # bullets of a strong answer shown


@dataclass
class BriefQuestion:
    prompt: str
    outline: list[str]  # the strong-answer outline (or, for a question without one, its answer)
    missed: list[str]  # rubric points of this question you missed last time


@dataclass
class BriefArea:
    name: str
    label: str  # '2 of 8 solid'
    band: str
    weight_note: str
    usually_missed: list[tuple[str, int]]
    questions: list[BriefQuestion]


@dataclass
class BriefStory:
    title: str
    result: str
    answers: list[str]  # prompts of the questions it is linked to


@dataclass
class Brief:
    generated: datetime
    track: str
    interview: date | None
    days_left: int | None
    rounds: list[tuple[str, list[tuple[str, str]]]]  # round name -> [(category, '3 of 8 solid, developing')]
    areas: list[BriefArea]
    themes: list[tuple[str, list[BriefStory]]]
    themes_without_story: list[str] = field(default_factory=list)
    stories: int = 0


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def build(workspace: Workspace, now: datetime | None = None, track: str | None = None) -> Brief:
    """Everything the brief says, for ``track`` (default: the current one)."""
    now = now or datetime.now(UTC)
    track = track or workspace.track
    scores = workspace.in_track(workspace.scores(now), track)
    ranked = workspace.ranking(scores)
    readiness_of = {row.category: f"{row.label}, {row.band}" for row in ranked.itertuples()}
    rounds = [(ROUND_TYPES[key][0], [(c, readiness_of[c]) for c in ROUND_TYPES[key][1] if c in readiness_of])
              for key in workspace.settings.rounds if key in ROUND_TYPES]
    areas = []
    for area in [a for a in workspace.weak_areas(scores, tags=False) if a.band != "ready"][:BRIEF_AREAS]:
        questions = []
        for ref in area.next_questions[:QUESTIONS_PER_AREA]:
            question = workspace.bank.question(ref.id) or {}
            outline = [_one_line(b) for b in question.get("strong_answer") or []][:MAX_OUTLINE]
            if not outline and question.get("answer"):
                outline = [_one_line(question["answer"])[:400]]
            last = workspace.store.last_review(ref.id)
            questions.append(BriefQuestion(_one_line(ref.prompt), outline,
                                           [_one_line(p) for p in (last.rubric_missed if last else [])]))
        areas.append(BriefArea(area.area, area.label, area.band, area.weight_note,
                               [(_one_line(p), n) for p, n in area.top_missed], questions))
    stories = stories_mod.all_stories(workspace.store)
    prompts = dict(zip(workspace.bank.questions["id"], workspace.bank.questions["prompt"]))
    themes = []
    for theme in stories_mod.THEMES:
        told = [BriefStory(s.title, _one_line(s.result), [_one_line(prompts[q]) for q in s.question_ids if q in prompts])
                for s in stories if theme in s.themes]
        if told:
            themes.append((theme, told))
    unthemed = [BriefStory(s.title, _one_line(s.result), [_one_line(prompts[q]) for q in s.question_ids if q in prompts])
                for s in stories if not s.themes]
    if unthemed:
        themes.append(("No theme yet", unthemed))
    coverage = stories_mod.coverage(stories, [])
    interview = workspace.settings.interview_date
    days = workspace.settings.days_to_interview(now.astimezone().date())
    return Brief(now, track, interview, days, rounds, areas, themes, coverage.themes_without_story,
                 len(stories))


def _when(brief: Brief) -> str:
    if brief.interview is None:
        return "No interview date set (set it on Settings)."
    if brief.days_left is not None and brief.days_left < 0:
        return f"The interview date, {brief.interview:%A %d %B %Y}, has passed."
    days = {0: "today", 1: "tomorrow"}.get(brief.days_left, f"in {brief.days_left} days")
    return f"Interview {days}: {brief.interview:%A %d %B %Y}."


def _round_text(categories: list[tuple[str, str]]) -> str:
    return "; ".join(f"{c} ({r})" for c, r in categories) or "none of its categories is in this track"


def to_markdown(brief: Brief) -> str:
    lines = ["# Interview-day brief", "",
             f"{_when(brief)} Track: {brief.track}. Made {brief.generated.astimezone():%Y-%m-%d %H:%M}.", "",
             "## Your loop", ""]
    if brief.rounds:
        for name, categories in brief.rounds:
            lines.append(f"- **{name}**: " + _round_text(categories))
    else:
        lines.append("- No round types chosen (pick your loop's rounds on Settings).")
    lines += ["", "## Your weakest areas", ""]
    if not brief.areas:
        lines += ["Every area is ready. Rest, and skim your stories.", ""]
    for area in brief.areas:
        note = f"; {area.weight_note}" if area.weight_note else ""
        lines += [f"### {area.name} ({area.label}, {area.band}{note})", ""]
        if area.usually_missed:
            lines += ["Points you usually miss:", *[f"- {p} (missed {n}x)" for p, n in area.usually_missed], ""]
        for q in area.questions:
            lines += [f"**{q.prompt}**", ""]
            lines += [f"- {b}" for b in q.outline] or ["- (no outline: write one on the Bank page)"]
            if q.missed:
                lines += ["", "Last time you missed: " + "; ".join(q.missed)]
            lines.append("")
    lines += ["## Your stories by theme", ""]
    if not brief.themes:
        lines += ["No STAR stories yet: write two or three on the Story bank page before the interview.", ""]
    for theme, told in brief.themes:
        lines += [f"### {theme}", ""]
        for story in told:
            result = f": {story.result}" if story.result else ""
            lines.append(f"- **{story.title}**{result}")
            lines += [f"  - answers: {a}" for a in story.answers]
        lines.append("")
    if brief.stories and brief.themes_without_story:
        lines += [f"Themes with no story yet: {', '.join(brief.themes_without_story)}.", ""]
    return "\n".join(lines).rstrip() + "\n"


_CSS = """
@page { size: auto; margin: 15mm 14mm; }
body { font: 11pt/1.4 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #111;
       max-width: 46rem; margin: 1.5rem auto; padding: 0 1rem; }
h1 { font-size: 18pt; margin: 0 0 .2rem; } h2 { font-size: 14pt; border-bottom: 1px solid #999;
     margin: 1.2rem 0 .4rem; break-after: avoid; } h3 { font-size: 12pt; margin: .9rem 0 .3rem; break-after: avoid; }
p, li { margin: .15rem 0; } ul { padding-left: 1.2rem; } .meta { color: #444; }
.question { break-inside: avoid; margin: .5rem 0; } .question > p:first-child { font-weight: 600; }
.missed { color: #8a1c1c; } .story { break-inside: avoid; }
@media print { body { margin: 0; max-width: none; } a { color: inherit; } }
"""


def _li(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ul>" if items else ""


def to_html(brief: Brief) -> str:
    """A self-contained page: inline CSS, system fonts, nothing fetched; prints on A4 and Letter."""
    e = html.escape
    parts = ["<!doctype html>", '<html lang="en"><head><meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             "<title>Interview-day brief</title>", f"<style>{_CSS}</style></head><body>",
             "<h1>Interview-day brief</h1>",
             f'<p class="meta">{e(_when(brief))} Track: {e(brief.track)}. '
             f"Made {brief.generated.astimezone():%Y-%m-%d %H:%M}.</p>", "<h2>Your loop</h2>"]
    if brief.rounds:
        parts.append("<ul>" + "".join(f"<li><strong>{e(name)}</strong>: "
                                      + e(_round_text(categories)) + "</li>"
                                      for name, categories in brief.rounds) + "</ul>")
    else:
        parts.append("<p>No round types chosen (pick your loop's rounds on Settings).</p>")
    parts.append("<h2>Your weakest areas</h2>")
    if not brief.areas:
        parts.append("<p>Every area is ready. Rest, and skim your stories.</p>")
    for area in brief.areas:
        note = f"; {area.weight_note}" if area.weight_note else ""
        parts.append(f"<h3>{e(area.name)} <small>({e(area.label)}, {e(area.band)}{e(note)})</small></h3>")
        if area.usually_missed:
            parts.append("<p>Points you usually miss:</p>" + _li([f"{p} (missed {n}x)" for p, n in area.usually_missed]))
        for q in area.questions:
            parts.append(f'<div class="question"><p>{e(q.prompt)}</p>'
                         + (_li(q.outline) or "<p>(no outline: write one on the Bank page)</p>")
                         + (f'<p class="missed">Last time you missed: {e("; ".join(q.missed))}</p>' if q.missed else "")
                         + "</div>")
    parts.append("<h2>Your stories by theme</h2>")
    if not brief.themes:
        parts.append("<p>No STAR stories yet: write two or three on the Story bank page before the interview.</p>")
    for theme, told in brief.themes:
        parts.append(f"<h3>{e(theme)}</h3><ul>")
        for story in told:
            result = f": {e(story.result)}" if story.result else ""
            parts.append(f'<li class="story"><strong>{e(story.title)}</strong>{result}'
                         + _li([f"answers: {a}" for a in story.answers]) + "</li>")
        parts.append("</ul>")
    if brief.stories and brief.themes_without_story:
        parts.append(f"<p>Themes with no story yet: {e(', '.join(brief.themes_without_story))}.</p>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def render(brief: Brief, fmt: str) -> str:
    if fmt == "md":
        return to_markdown(brief)
    if fmt == "html":
        return to_html(brief)
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
