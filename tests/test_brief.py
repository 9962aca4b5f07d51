"""The interview-day brief: the loop, the weakest areas from the one ranking with outlines and missed points,
the stories by theme; Markdown and self-contained HTML, from Home, the Dashboard and the command line."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from test_pages import open_page
from test_tracks import _plant

from mlprep import brief
from mlprep import stories as stories_mod
from mlprep.cli import main
from mlprep.db import NewReview, Store, new_review_id
from mlprep.schedule import make_scheduler
from mlprep.workspace import Workspace


def _story(store: Store) -> None:
    stories_mod.save_story(store, stories_mod.Story(
        id=stories_mod.new_story_id(), title="The churn model nobody used", situation="Agents ignored it.",
        task="I owned adoption.", action="I cut the list to 50 accounts a week.",
        result="Usage went from 10% to 70% in six weeks.", themes=["influence", "failure"],
        question_ids=["star-influence-without-authority"]))


def test_the_brief_has_the_loop_the_weakest_areas_and_the_stories(data_dir: Path) -> None:
    _plant(data_dir)  # loop: stakeholders; Explainability is the weakest area
    store = Store(data_dir)
    store.set_setting("interview_date", (date.today() + timedelta(days=1)).isoformat())
    store.record_review(NewReview(id=new_review_id(), question_id="explain-shap-value-meaning", rating=2,
                                  rubric_hits=["x"], rubric_missed=["States plainly it is not the cause"]),
                        make_scheduler())
    _story(store)
    made = brief.build(Workspace.open(data_dir))
    assert [a.name for a in made.areas] == ["Explainability for action", "Behavioral stories (STAR)",
                                            "Clarifying & problem framing"]  # the one ranking's first three
    assert made.areas[0].weight_note and all(q.outline for a in made.areas for q in a.questions)
    text = brief.to_markdown(made)
    assert text.startswith("# Interview-day brief\n") and "Interview tomorrow:" in text
    assert "- **Stakeholder communication**: Communicating with non-technical stakeholders (4 of 8 solid" in text
    assert "### influence" in text and "### failure" in text
    prompt = Workspace.open(data_dir).bank.question("star-influence-without-authority")["prompt"]
    assert f"  - answers: {' '.join(prompt.split())}" in text
    assert "Usage went from 10% to 70% in six weeks." in text
    page = brief.to_html(made)
    assert page.startswith("<!doctype html>") and "<style>" in page and "@page" in page
    assert "http" not in page.replace("http-equiv", "")  # no remote font, image or script
    assert "<script" not in page and "The churn model nobody used" in page


def test_text_from_the_bank_or_a_story_is_escaped_in_the_html(data_dir: Path) -> None:
    store = Store(data_dir)
    stories_mod.save_story(store, stories_mod.Story(id=stories_mod.new_story_id(), title="<img src=x onerror=1>",
                                                    result="<script>alert(1)</script>", themes=["conflict"]))
    page = brief.to_html(brief.build(Workspace.open(data_dir)))
    assert "<img src=x" not in page and "<script>alert" not in page and "&lt;script&gt;" in page


def test_the_brief_without_stories_or_a_loop_says_what_to_do(data_dir: Path) -> None:
    text = brief.to_markdown(brief.build(Workspace.open(data_dir)))
    assert "No interview date set" in text and "No round types chosen" in text
    assert "No STAR stories yet" in text


def test_the_command_line_writes_the_brief(data_dir: Path, tmp_path: Path, capsys) -> None:
    _plant(data_dir)
    out = tmp_path / "brief.html"
    assert main(["brief", "--format", "html", "--output", str(out), "--data-dir", str(data_dir)]) == 0
    assert out.read_text(encoding="utf-8").startswith("<!doctype html>")
    assert main(["brief", "--data-dir", str(data_dir)]) == 0
    assert capsys.readouterr().out.startswith("# Interview-day brief")


def test_home_and_the_dashboard_offer_the_brief(data_dir: Path) -> None:
    for page, key in (("app.py", "home"), ("pages/dashboard.py", "dashboard")):
        at = open_page(page)
        keys = [b.key for b in at.get("download_button")]
        assert f"{key}.brief_md" in keys and f"{key}.brief_html" in keys


def test_the_download_is_built_outside_the_page_run_from_the_pages_context(data_dir: Path) -> None:
    """Streamlit runs a download's callable on another thread after the page ran: it must not need the page."""
    from components.brief_download import _made
    from components.context import load_context

    _plant(data_dir)
    open_page()
    text = _made(load_context(), "md")
    assert text.startswith("# Interview-day brief") and "### Explainability for action" in text
