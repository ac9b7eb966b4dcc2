"""The one byte decoder: a BOM only when real text follows, UTF-8, an HTML page's declaration, detection."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from cleaner import clean, clean_html
from cleaner.errors import DecodeError
from cleaner.inputs import decode_bytes

SENTENCE = "The council approved the budget on Tuesday after a long debate about roads."


@pytest.mark.parametrize("data", [b"\xff\xfe garbage", b"\xfe\xff garbage!", b"\xff\xfe\x00\x00garbage!"])
def test_garbage_behind_a_byte_order_mark_is_an_error_not_invented_text(data: bytes) -> None:
    with pytest.raises(DecodeError, match="byte-order mark"):
        clean(data)
    with pytest.raises(DecodeError, match="byte-order mark"):
        clean_html(data)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32", "utf-8-sig"])
def test_real_text_behind_a_byte_order_mark_decodes(encoding: str) -> None:
    data = (SENTENCE + "\n").encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    assert decode_bytes(data) == SENTENCE + "\n"
    assert decode_bytes("中国经济新闻".encode("utf-16")) == "中国经济新闻"


def test_short_western_bytes_are_not_read_as_utf16() -> None:
    assert decode_bytes(b"caf\xe9") == "café"
    assert decode_bytes(b"\x93Quoted\x94 text") == "\u201cQuoted\u201d text"


def test_a_declared_latin1_page_is_read_as_windows_1252_like_browsers() -> None:
    html = f'<html><head><meta charset="iso-8859-1"></head><body><p>It\u2019s here: {SENTENCE}</p></body></html>'
    data = html.encode("cp1252")
    assert "It\u2019s here" in decode_bytes(data, html=True)


def test_a_utf8_page_keeping_an_old_declaration_is_read_as_utf8() -> None:
    html = f'<html><head><meta charset="iso-8859-1"></head><body><p>Café crème: {SENTENCE}</p></body></html>'
    assert "Café crème" in decode_bytes(html.encode("utf-8"), html=True)


def test_the_cli_names_the_file_and_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "stray-bom.txt"
    bad.write_bytes(b"\xff\xfe garbage")
    done = subprocess.run([sys.executable, "-m", "cleaner", "clean", str(bad)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert str(bad) in done.stderr and "byte-order mark" in done.stderr
    assert "Traceback" not in done.stderr and ".decode(" not in done.stderr and done.stdout == ""


def test_a_closed_stdout_ends_quietly() -> None:
    proc = subprocess.Popen([sys.executable, "-m", "cleaner", "rules", "list"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # like `| head -0`: the reader is gone before the first write
    stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 0
    assert stderr == ""
