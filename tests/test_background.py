"""A large calendar or mailbox is read in a second process (`readers.background`)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from srmcli.errors import InvalidValueError, SrmError
from srmcli.readers import background

BIG = background.BACKGROUND_FROM


def pids(count: int) -> Iterator[tuple[int, int]]:
    for n in range(count):
        yield n, os.getpid()


def test_a_large_file_is_read_by_another_process_in_order(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("SRM_READ_INLINE", raising=False)
    with background.records(lambda: pids(1000), BIG) as found:
        got = list(found)
    assert [n for n, _ in got] == list(range(1000))
    assert {pid for _, pid in got} != {os.getpid()}


def test_a_small_file_or_srm_read_inline_stays_in_this_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with background.records(lambda: pids(3), BIG - 1) as found:
        assert {pid for _, pid in found} == {os.getpid()}
    monkeypatch.setenv("SRM_READ_INLINE", "1")
    with background.records(lambda: pids(3), BIG) as found:
        assert {pid for _, pid in found} == {os.getpid()}


def refusing() -> Iterator[int]:
    yield 1
    raise InvalidValueError("box.mbox: message 2: the message has no readable Date")


def test_the_childs_refusal_is_raised_here_as_it_was_made(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("SRM_READ_INLINE", raising=False)
    got = []
    with pytest.raises(InvalidValueError, match=r"^box.mbox: message 2: the message has no"):
        with background.records(refusing, BIG) as found:
            got.extend(found)
    assert got == [1]


def crashing() -> Iterator[int]:
    yield 1
    raise ValueError("Price floor 4.20 EUR, walk away above")  # text from a note


def test_an_unexpected_failure_is_one_line_without_the_files_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("SRM_READ_INLINE", raising=False)
    with pytest.raises(SrmError) as raised:
        with background.records(crashing, BIG) as found:
            list(found)
    assert str(raised.value) == "the file could not be read (ValueError)"


def endless() -> Iterator[int]:
    n = 0
    while True:
        yield n
        n += 1


def test_leaving_early_stops_the_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SRM_READ_INLINE", raising=False)
    children_before = set(_children())
    with background.records(endless, BIG) as found:
        assert next(found) == 0
    assert set(_children()) <= children_before  # stopped and waited for: no process left


def _children() -> list[int]:
    import multiprocessing

    return [p.pid for p in multiprocessing.active_children() if p.pid is not None]


def test_the_pipe_holds_a_megabyte_so_the_reader_runs_ahead_of_the_writing() -> None:
    import multiprocessing

    fcntl = pytest.importorskip("fcntl")
    if not hasattr(fcntl, "F_GETPIPE_SZ"):
        pytest.skip("pipes cannot be widened here")
    receiving, sending = multiprocessing.get_context("fork").Pipe(duplex=False)
    try:
        background._widen(sending)
        assert fcntl.fcntl(sending.fileno(), fcntl.F_GETPIPE_SZ) >= background.PIPE_BYTES
    finally:
        receiving.close()
        sending.close()


def test_records_cross_the_pipe_whole() -> None:
    import pickle
    from datetime import datetime

    from srmcli.readers.calendar import Meeting
    from srmcli.readers.calendar import Person as Invited
    from srmcli.readers.mail import Letter, Person

    letter = Letter("box.mbox: message 1", "m1@x", "m0@x", datetime(2026, 11, 2, 9, 30),
                    "Mon, 2 Nov 2026 09:30:00 +0100", "PO 4411", [Person("a@x.example", "Å")],
                    [Person("b@y.example")], "Hi,\nfirst paragraph")  # fmt: skip
    meeting = Meeting("f.ics: line 9", "uid", datetime(2026, 11, 2, 9), None, None, "Call", "",
                      "", "", Invited("p@x.example", "Pat", True), [Invited("q@x.example")],
                      cancelled=True)  # fmt: skip
    for record in (letter, meeting):
        assert pickle.loads(pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL)) == record
