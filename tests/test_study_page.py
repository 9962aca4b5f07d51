"""The Study card under AppTest: the suggested rating, Undo's restored card, suspend and flag messages, the
clarify step skipped where the bank says so, and STAR stories read beside a behavioral question."""

from __future__ import annotations

from pathlib import Path

from test_pages import button, open_page, pick, start_answering

from mlprep.db import Store
from mlprep.stories import Story, new_story_id, save_story


def reveal(at) -> None:
    start_answering(at)
    button(at, "reveal_").click().run()
    assert not at.exception


def rate_buttons(at) -> dict[str, str]:
    """Each rate button's label and type (primary: the highlighted one)."""
    return {b.label: b.proto.type for b in at.button if b.key and b.key.startswith("rate_")}


def test_the_rating_the_ticks_suggest_is_highlighted_and_labelled(data_dir: Path) -> None:
    at = open_page("pages/study.py")
    pick(at, "comms-explain-to-executive")
    reveal(at)
    total = len(at.checkbox)
    assert any(m.value.startswith(f"**Suggested: Blanked, 0 of {total} points**") for m in at.markdown)
    assert [label for label, kind in rate_buttons(at).items() if kind == "primary"] == ["Blanked"]
    for box in at.checkbox[:2]:
        box.check()
    at.run()
    assert any(m.value.startswith(f"**Suggested: Shaky, 2 of {total} points**") for m in at.markdown)
    assert [label for label, kind in rate_buttons(at).items() if kind == "primary"] == ["Shaky"]
    for box in at.checkbox:
        box.check()
    at.run()
    assert [label for label, kind in rate_buttons(at).items() if kind == "primary"] == ["Nailed it"]
    button(at, "rate_", "_auto").click().run()  # and "rate from my ticks" saves exactly that one
    assert Store(data_dir).reviews().iloc[0]["rating"] == 4


def test_undo_brings_the_card_back_revealed_with_its_ticks_answer_and_time(data_dir: Path) -> None:
    at = open_page("pages/study.py")
    pick(at, "comms-explain-to-executive")
    rid = at.session_state["study.current"]["review_id"]
    at.session_state["study.current"]["started_at"] -= 95  # as if the candidate talked for 95 s
    at.text_area(key=f"answer_{rid}").input("Start with the decision they need to make.")
    reveal(at)
    at.checkbox[0].check()
    at.checkbox[2].check()
    button(at, "rate_", "_2").click().run()
    assert at.session_state["study.current"] is None  # the search held one question: the summary
    at.text_input(key="filter.text").input("comms-").run()  # another card, and the Undo button, on screen
    at.button(key="undo").click().run()
    current = at.session_state["study.current"]
    assert (current["qid"], current["phase"]) == ("comms-explain-to-executive", "revealed")
    assert current["review_id"] != rid and current["revealed_after"] == 95
    assert at.text_area(key=f"answer_{current['review_id']}").value == "Start with the decision they need to make."
    assert [box.value for box in at.checkbox][:3] == [True, False, True]
    assert any(e.label.startswith("Your answer (1:35)") for e in at.expander)
    assert any("Suggested: Shaky, 2 of" in m.value for m in at.markdown)
    assert any("the card is back as it was" in t.value for t in at.toast)
    button(at, "rate_", "_3").click().run()  # rated again: one live review, the new rating
    reviews = Store(data_dir).reviews()
    assert len(reviews) == 1 and reviews.iloc[0]["rating"] == 3
    assert reviews.iloc[0]["answer_text"] == "Start with the decision they need to make."


def test_suspend_says_so_with_an_undo_that_brings_the_question_back(data_dir: Path) -> None:
    at = open_page("pages/study.py")
    qid = at.session_state["study.current"]["qid"]
    button(at, "suspend_").click().run()
    assert at.session_state["study.current"]["qid"] != qid
    assert any(m.value.startswith(":material/pause_circle: **Suspended:**") for m in at.markdown)
    assert bool(Store(data_dir).cards().set_index("question_id").loc[qid, "suspended"])
    at.button(key="unsuspend").click().run()
    assert at.session_state["study.current"]["qid"] == qid
    assert not bool(Store(data_dir).cards().set_index("question_id").loc[qid, "suspended"])
    assert not any("**Suspended:**" in m.value for m in at.markdown)
    assert any(t.value.startswith("Resumed") for t in at.toast)


def test_flag_says_so_and_puts_a_badge_on_the_card(data_dir: Path) -> None:
    at = open_page("pages/study.py")
    qid = at.session_state["study.current"]["qid"]
    assert not any("Flagged" in c.value for c in at.caption)
    button(at, "flag_").click().run()
    assert at.session_state["study.current"]["qid"] == qid  # the card stays
    assert any(t.value.startswith("Flagged:") for t in at.toast)
    assert any(":material/flag: Flagged" in c.value for c in at.caption)
    assert at.button(key=f"flag_{qid}").label == "Unflag"
    at.button(key=f"flag_{qid}").click().run()
    assert not any("Flagged]" in c.value for c in at.caption)


def test_a_question_about_what_to_ask_skips_the_clarify_step(data_dir: Path) -> None:
    at = open_page("pages/study.py")
    pick(at, "framing-fake-reviews-first-questions")  # a scenario marked clarify_first: false
    assert at.session_state["study.current"]["phase"] == "answer"
    rid = at.session_state["study.current"]["review_id"]
    assert [t.key for t in at.text_area] == [f"answer_{rid}"]
    pick(at, "framing-ai-support-tickets")  # an ordinary scenario still opens with it
    assert at.session_state["study.current"]["phase"] == "clarify"


def test_stories_are_read_beside_a_behavioral_question_linked_or_by_theme(data_dir: Path) -> None:
    store = Store(data_dir)
    save_story(store, Story(id=new_story_id(), title="The churn model the CFO trusted", situation="Q3 churn review.",
                            action="I led with the decision, not the AUC.", themes=["influence"],
                            question_ids=["comms-explain-to-executive"]))
    save_story(store, Story(id=new_story_id(), title="Disagreeing with my manager", situation="A launch date.",
                            action="I brought data on the risk.", themes=["conflict"]))
    at = open_page("pages/study.py")
    pick(at, "comms-explain-to-executive")
    assert at.session_state["study.current"]["phase"] == "answer"  # before the reveal
    labels = [e.label for e in at.expander]
    assert "The churn model the CFO trusted" in labels and "Disagreeing with my manager" not in labels
    assert any("I led with the decision, not the AUC." in m.value for m in at.markdown)
    at.selectbox(key="story_theme_pop_comms-explain-to-executive").set_value("conflict").run()
    assert "Disagreeing with my manager" in [e.label for e in at.expander]
    assert any("I brought data on the risk." in m.value for m in at.markdown)
    assert at.session_state["study.current"]["qid"] == "comms-explain-to-executive"  # still on the card
    reveal(at)  # and after the reveal, beside the answer
    assert "The churn model the CFO trusted" in [e.label for e in at.expander]


def test_questions_that_are_not_behavioral_offer_no_stories(data_dir: Path) -> None:
    at = open_page("pages/study.py")
    pick(at, "framing-fake-reviews-first-questions")
    assert not any(m.value == "**Your stories for this question**" for m in at.markdown)
    reveal(at)
    assert not any(m.value == "**Your stories for this question**" for m in at.markdown)
