"""One answer to "where am I weak?": tracks, the one ranking, the plan that is the queue, no dead ends,
progress in ``stats --json`` and a backup that holds the user's banks."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from pathlib import Path

from test_pages import open_page, start_answering

from mlprep import backups, userbank
from mlprep import weak_areas as weak_areas_mod
from mlprep.bank import SHIPPED_TRACK, load_bank
from mlprep.cli import main
from mlprep.db import NewReview, Store, new_review_id
from mlprep.importers import read_questions
from mlprep.paths import SHIPPED_BANK_DIR
from mlprep.schedule import make_scheduler
from mlprep.timeutil import utc_now
from mlprep.workspace import Workspace

DECK = "question,answer,category,difficulty\n" + "\n".join(
    f"Data science theory question number {i}: explain estimator {i} to a peer?,An answer {i},Statistics,easy"
    for i in range(12)) + "\n"


def _solid(store: Store, qids: list[str], rubric: dict[str, list[str]]) -> None:
    """Rate each question Nailed it with every rubric point ticked, an hour ago: solid now."""
    scheduler = make_scheduler()
    for qid in qids:
        store.record_review(NewReview(id=new_review_id(), question_id=qid, rating=4, rubric_hits=rubric[qid],
                                      rated_at=utc_now() - timedelta(hours=1)), scheduler)


def _plant(data_dir: Path) -> None:
    """A history where the loop's weighting decides the order: Explainability (2 of 8 solid, counts x1.5)
    ranks above the untouched categories, Communicating (4 of 8, x1.5) below them, Fairness (3 of 8) too."""
    bank = load_bank([SHIPPED_BANK_DIR]).questions
    rubric = dict(zip(bank["id"], bank["looking_for"]))
    store = Store(data_dir)
    store.set_setting("rounds", ["stakeholders"])
    plan = {"Explainability for action": 2, "Communicating with non-technical stakeholders": 4,
            "Fairness, bias & ethics": 3}
    for category, n in plan.items():
        _solid(store, bank.loc[bank["category"] == category, "id"].head(n).tolist(), rubric)


def _current(at) -> dict | None:
    return at.session_state["study.current"] if "study.current" in at.session_state else None


def _cli_json(*args: str, capsys) -> object:
    assert main(list(args)) == 0
    return json.loads(capsys.readouterr().out)


def test_home_the_chart_the_table_the_exports_and_the_cli_agree_on_the_weakest_areas(data_dir: Path,
                                                                                      capsys) -> None:
    _plant(data_dir)
    expected = ["Explainability for action", "Behavioral stories (STAR)", "Clarifying & problem framing"]
    home = open_page()
    assert any(f"Your weakest category is **{expected[0]}**" in m.value and "counts ×1.5 for your loop's "
               "Stakeholder communication round" in m.value for m in home.markdown)
    dashboard = open_page("pages/dashboard.py")
    charts = dashboard.get("vega_lite_chart") or dashboard.get("arrow_vega_lite_chart")
    [chart] = [c for c in charts if '"pick"' in c.proto.spec]
    spec = json.loads(chart.proto.spec)
    assert spec["layer"][0]["encoding"]["y"]["sort"][:3] == expected
    table = dashboard.table[0].value
    assert table["Area"].tolist()[:3] == expected
    assert table["Counts"].iloc[0] == "×1.5 (Stakeholder communication round)"
    areas = Workspace.open(data_dir).weak_areas()  # what the Dashboard's three downloads render
    markdown = weak_areas_mod.render(areas, "md")
    headings = [line[3:].split(" — ")[0] for line in markdown.splitlines() if line.startswith("## ")]
    assert headings[:3] == expected and len(headings) == weak_areas_mod.PLAN_AREAS
    assert "_Counts ×1.5 for your loop's Stakeholder communication round._" in markdown
    assert [r["area"] for r in csv.DictReader(io.StringIO(weak_areas_mod.render(areas, "csv")))][:3] == expected
    assert [a["area"] for a in json.loads(weak_areas_mod.render(areas, "json"))][:3] == expected
    cli = _cli_json("weak-areas", "--format", "json", "--data-dir", str(data_dir), capsys=capsys)
    assert [a["area"] for a in cli][:3] == expected
    stats = _cli_json("stats", "--json", "--data-dir", str(data_dir), capsys=capsys)
    assert list(stats["tracks"][SHIPPED_TRACK]["categories"])[:3] == expected


def test_the_markdown_plan_keeps_five_areas_below_ready_unless_asked(data_dir: Path, capsys) -> None:
    _plant(data_dir)
    assert main(["weak-areas", "--data-dir", str(data_dir)]) == 0
    assert capsys.readouterr().out.count("\n## ") == 5
    assert main(["weak-areas", "--areas", "2", "--data-dir", str(data_dir)]) == 0
    assert capsys.readouterr().out.count("\n## ") == 2
    assert main(["weak-areas", "--areas", "0", "--data-dir", str(data_dir)]) == 2
    assert "--areas needs a number" in capsys.readouterr().err


def _import(data_dir: Path, name: str, text: str, track: str = "") -> Path:
    existing = userbank.load(data_dir, everything=True)
    result = read_questions(name, text.encode(), existing.categories)
    return userbank.save_import(data_dir, userbank.plan_import(data_dir, result, existing, track))


def test_importing_a_deck_makes_a_track_and_leaves_the_shipped_figures_identical(data_dir: Path,
                                                                                  capsys) -> None:
    _plant(data_dir)
    before = _cli_json("stats", "--json", "--data-dir", str(data_dir), capsys=capsys)["tracks"]
    path = _import(data_dir, "ds-theory.csv", DECK)
    after = _cli_json("stats", "--json", "--data-dir", str(data_dir), capsys=capsys)["tracks"]
    assert after[SHIPPED_TRACK] == before[SHIPPED_TRACK]
    assert list(after) == [SHIPPED_TRACK, "Ds theory"]
    assert after["Ds theory"]["questions"] == 12 and after["Ds theory"]["readiness"] == 0
    # Moved into the shipped track, the deck counts there; the move is a line in its own file.
    userbank.set_file_track(data_dir, path, SHIPPED_TRACK)
    moved = _cli_json("stats", "--json", "--data-dir", str(data_dir), capsys=capsys)["tracks"]
    assert list(moved) == [SHIPPED_TRACK] and "Statistics" in moved[SHIPPED_TRACK]["categories"]


def test_an_import_can_join_a_track_chosen_in_the_preview(data_dir: Path) -> None:
    _import(data_dir, "ds-theory.csv", DECK, track="Data science loop")
    assert userbank.load(data_dir).tracks == [SHIPPED_TRACK, "Data science loop"]
    assert userbank.file_track(userbank.banks_dir(data_dir) / "ds-theory.yaml") == "Data science loop"


def test_the_banks_tab_shows_each_files_track_from_the_loaded_bank_and_moves_it(data_dir: Path,
                                                                                 monkeypatch) -> None:
    path = _import(data_dir, "ds-theory.csv", DECK, track="Data science loop")
    reads: list[Path] = []
    real_read = userbank.read_bank_doc
    monkeypatch.setattr(userbank, "read_bank_doc", lambda p: reads.append(p) or real_read(p))
    at = open_page("pages/bank.py")
    at.session_state["bank.tab"] = "Banks"  # only the open tab runs
    at.run()
    mover = at.selectbox(key="bank.track.ds-theory.yaml")
    assert mover.value == "Data science loop"
    assert reads == []  # the track came from the loaded bank: no file is parsed to draw the page
    mover.set_value(SHIPPED_TRACK).run()
    assert not at.exception
    assert userbank.file_track(path) == SHIPPED_TRACK
    assert "now in the track" in " ".join(s.value for s in at.success)
    assert at.selectbox(key="bank.track.ds-theory.yaml").value == SHIPPED_TRACK


def test_the_sidebar_switches_the_track_every_page_works_on(data_dir: Path, capsys) -> None:
    _import(data_dir, "ds-theory.csv", DECK)
    at = open_page()
    assert at.sidebar.selectbox(key="layout.track").value == SHIPPED_TRACK
    at.sidebar.selectbox(key="layout.track").set_value("Ds theory").run()
    assert {m.label: m.value for m in at.metric}["Questions"] == "12"
    assert Store(data_dir).get_setting("track") == "Ds theory"  # remembered: the last one used
    study = open_page("pages/study.py")
    assert study.session_state["study.current"]["qid"].startswith("data-science-theory-question")
    # The command line follows the track last chosen, or the one named.
    assert main(["weak-areas", "--format", "json", "--data-dir", str(data_dir)]) == 0
    assert {a["area"] for a in json.loads(capsys.readouterr().out) if a["kind"] == "category"} == {"Statistics"}
    assert main(["weak-areas", "--format", "json", "--track", SHIPPED_TRACK, "--data-dir", str(data_dir)]) == 0
    assert len([a for a in json.loads(capsys.readouterr().out) if a["kind"] == "category"]) == 16
    assert main(["weak-areas", "--track", "Nope", "--data-dir", str(data_dir)]) == 2
    assert "no track named 'Nope'" in capsys.readouterr().err


def test_a_category_link_past_the_new_card_cap_still_serves_a_card(data_dir: Path) -> None:
    Store(data_dir).set_setting("new_per_day", 0)
    at = open_page("pages/study.py", query={"category": "fairness-bias-ethics"})
    current = at.session_state["study.current"]
    assert current is not None and current["qid"].startswith("fair")
    assert any("Past today's new-question limit on purpose" in c.value for c in at.caption)
    plain = open_page("pages/study.py")
    assert _current(plain) is None  # without a link, the cap holds
    assert any("Done for today" in s.value for s in plain.success)


def test_home_counts_exactly_the_cards_study_serves_before_done_for_today(data_dir: Path) -> None:
    store = Store(data_dir)
    store.set_setting("new_per_day", 3)
    bank = load_bank([SHIPPED_BANK_DIR]).questions
    scheduler = make_scheduler()
    for qid in bank["id"].head(2):  # two due cards: rated Shaky eleven days ago
        store.record_review(NewReview(id=new_review_id(), question_id=qid, rating=2,
                                      rated_at=utc_now() - timedelta(days=11)), scheduler)
    home = open_page()
    count = int({m.label: m.value for m in home.metric}["Today"].split()[0])
    assert count == int(home.sidebar.metric[0].value.split()[0]) == 5
    assert any(line.value.startswith("It covers ") for line in home.markdown)
    study = open_page("pages/study.py")
    served = 0
    while _current(study) is not None:
        start_answering(study)
        [reveal] = [b for b in study.button if b.key and b.key.startswith("reveal_")]
        reveal.click().run()
        [rate] = [b for b in study.button if b.key and b.key.startswith("rate_") and b.key.endswith("_3")]
        rate.click().run()
        served += 1
        left = study.sidebar.metric[0].value
        assert left == ("done" if served == count else f"{count - served} cards")  # goes down as you rate
        assert served <= count
    assert served == count
    assert any("Done for today" in s.value for s in study.success)
    assert {m.label: m.value for m in open_page().metric}["Today"] == "done"


def test_backup_and_restore_with_a_user_bank_gives_identical_progress(data_dir: Path, tmp_path: Path,
                                                                     monkeypatch, capsys) -> None:
    _plant(data_dir)
    path = _import(data_dir, "ds-theory.csv", DECK, track="Data science loop")
    qid = userbank.load(data_dir).questions.query("track == 'Data science loop'")["id"].iloc[0]
    userbank.update_question(data_dir, path, qid, {"looking_for": ["Defines the estimator", "Names its bias",
                                                                   "Gives an example"]})
    _solid(Store(data_dir), [qid], {qid: ["Defines the estimator", "Names its bias", "Gives an example"]})
    before = _cli_json("stats", "--json", "--data-dir", str(data_dir), capsys=capsys)
    saved = tmp_path / "backup.json"
    assert main(["progress", "export", str(saved), "--data-dir", str(data_dir)]) == 0
    fresh = tmp_path / "fresh"
    monkeypatch.setenv("MLPREP_DATA_DIR", str(fresh))
    assert main(["progress", "import", str(saved), "--data-dir", str(fresh)]) == 0
    assert "1 bank file(s) of yours" in capsys.readouterr().out
    after = _cli_json("stats", "--json", "--data-dir", str(fresh), capsys=capsys)
    assert after == before and after["tracks"]["Data science loop"]["categories"]["Statistics"]["solid"] == 1
    assert main(["progress", "import", str(saved), "--data-dir", str(fresh)]) == 0  # twice adds nothing
    assert not list(userbank.banks_dir(fresh).glob("*.before-restore*"))


def test_a_zip_backup_carries_the_recordings(data_dir: Path, tmp_path: Path) -> None:
    store = Store(data_dir)
    (data_dir / "recordings").mkdir(parents=True)
    (data_dir / "recordings" / "abc.wav").write_bytes(b"RIFF-not-really")
    payload = backups.export(store, data_dir, "zip")
    fresh = tmp_path / "fresh"
    result = backups.restore(Store(fresh), fresh, payload, make_scheduler())
    assert result.recordings_written == 1 and (fresh / "recordings" / "abc.wav").read_bytes() == b"RIFF-not-really"


def test_a_backup_with_an_unsafe_or_broken_bank_file_changes_nothing(data_dir: Path, tmp_path: Path) -> None:
    store = Store(data_dir)
    text = backups.export(store, data_dir, "json")
    for files, reason in (([{"name": "../evil.yaml", "text": "category: x\nquestions: []\n"}], "not a bank file name"),
                          ([{"name": "broken.yaml", "text": "category: [\n"}], "YAML syntax error")):
        data = json.loads(text)
        data["banks"] = {"files": files, "disabled": []}
        data["settings"] = {"new_per_day": 7}
        fresh = tmp_path / f"fresh-{len(reason)}"
        try:
            backups.restore(Store(fresh), fresh, json.dumps(data).encode(), make_scheduler())
        except backups.RestoreError as exc:
            assert reason in str(exc) and "nothing was imported" in str(exc)
        else:
            raise AssertionError("the restore should be refused")
        assert Store(fresh).get_setting("new_per_day") is None and not (fresh / "banks").exists()
