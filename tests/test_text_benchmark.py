"""The text benchmark: C4's line rules as datatrove applies them, and a run on a small labelled file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bench import c4_lines

REPO = Path(__file__).resolve().parents[1]


def test_c4_line_rules_follow_datatrove():
    assert not c4_lines.line_dropped("The council voted on Tuesday to close the road.")
    assert not c4_lines.line_dropped('He said: "We will rebuild."')
    assert c4_lines.line_dropped("Share this article")  # no terminal punctuation
    assert c4_lines.line_dropped("Read more...")  # ellipsis
    assert c4_lines.line_dropped("Thanks.")  # fewer than three words
    assert c4_lines.line_dropped("Please enable JavaScript to view the comments.")
    assert c4_lines.line_dropped("By using this site you agree to our privacy policy.")
    assert not c4_lines.line_dropped("Cases rose by a third in a week.[1]")  # citation removed first


def test_text_benchmark_scores_a_labelled_file(tmp_path):
    lines = [
        ("Flood waters rise across the valley as rain continues", "content"),
        ("Residents of three towns were told to leave their homes on Monday as the river rose above its banks.", "content"),
        ("Share this article", "junk"),
        ("By Jane Doe", "meta"),
        ("Officials said the water would peak on Wednesday night, and schools will stay closed until then.", "content"),
        ("Advertisement", "junk"),
    ]
    doc = {"id": "d1", "doc_label": "article", "truncated": False, "lines": [{"text": t, "label": kind} for t, kind in lines]}
    (tmp_path / "docs.jsonl").write_text(json.dumps(doc) + "\n", encoding="utf-8")
    out = tmp_path / "out.json"
    run = subprocess.run(
        [sys.executable, "-m", "bench.text_benchmark", "--data", str(tmp_path / "absent"), "--multinews", str(tmp_path),
         "--json", str(out)], cwd=REPO, capture_output=True, text=True, check=True,
    )
    assert "skipped" in run.stderr  # the evaluation sets are not under --data
    rows = json.loads(out.read_text(encoding="utf-8"))["text"]["multinews-dev"]
    assert rows["identity"]["recall"] == 0 and rows["identity"]["content_chars_kept"] == 1
    assert rows["c4-lines"]["recall"] == 1.0  # both junk lines lack terminal punctuation
    assert rows["c4-lines"]["content_lines_kept"] < 1  # and so does the headline
    assert rows["cleaner"]["precision"] == 1.0 and rows["cleaner"]["content_chars_kept"] == 1.0

    only = subprocess.run(
        [sys.executable, "-m", "bench.text_benchmark", "--data", str(tmp_path / "absent"), "--multinews", str(tmp_path),
         "--sets", "multinews-dev", "--json", str(out)], cwd=REPO, capture_output=True, text=True, check=True,
    )
    assert "skipped" not in only.stderr  # --sets leaves the evaluation sets out instead of looking for them
    assert list(json.loads(out.read_text(encoding="utf-8"))["text"]) == ["multinews-dev"]
