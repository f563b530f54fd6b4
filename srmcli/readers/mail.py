"""Email as mail programs keep it: one `.eml` file, a folder of them, an mbox file or a
Maildir, read with the standard library (`mailbox`, and `email` with `policy.default`,
which decodes encoded words and quoted-printable text).

Messages are read one at a time (an mbox is indexed by byte offsets first, as `mailbox`
does), so memory stays flat however big the mailbox. Only headers are parsed unless the
first paragraph of the body is wanted; attachments are never opened.
"""

from __future__ import annotations

import email.policy
import mailbox
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

from srmcli.errors import InvalidValueError


@dataclass
class Person:
    address: str  # lower case
    name: str | None = None


@dataclass
class Letter:
    """One message: who wrote it to whom, when (local time), about what."""

    where: str  # file and message number, for messages
    message_id: str | None
    thread: str  # the Message-ID of the thread's first message, as far as it is known
    sent: datetime | None  # None when the Date header is missing or unreadable
    date_text: str
    subject: str
    sender: list[Person]
    recipients: list[Person] = field(default_factory=list)
    paragraph: str | None = None  # the first paragraph of the plain text, when asked for


def read_mail(path: str, *, with_body: bool = False) -> Iterator[Letter]:
    """The messages at `path`: a file (an mbox, or one message) or a folder (a Maildir,
    or a folder of .eml files)."""
    target = Path(path).expanduser()
    if not target.exists():
        raise InvalidValueError(
            f"cannot read {target}: no such file or folder; give an .eml file, a folder of "
            "them, an mbox file or a Maildir"
        )
    parser = BytesParser(policy=email.policy.default)
    for where, raw in _messages(target):
        if b"\x00" in raw:
            raise InvalidValueError(f"{where}: holds a NUL byte; a mail message is text")
        message = parser.parsebytes(raw, headersonly=not with_body)
        yield _letter(message, where, with_body)  # type: ignore[arg-type]


def _messages(target: Path) -> Iterator[tuple[str, bytes]]:
    if target.is_dir():
        if all((target / sub).is_dir() for sub in ("cur", "new", "tmp")):
            box = mailbox.Maildir(str(target), factory=None, create=False)
            for n, key in enumerate(sorted(box.iterkeys()), 1):
                yield f"{target}: message {n} ({key})", box.get_bytes(key)
            return
        files = sorted(p for p in target.iterdir() if p.suffix.lower() == ".eml" and p.is_file())
        if not files:
            raise InvalidValueError(
                f"{target} holds no .eml files and is not a Maildir (cur, new, tmp); give "
                "an .eml file, a folder of them, an mbox file or a Maildir"
            )
        for p in files:
            yield str(p), _read(p)
        return
    with target.open("rb") as fh:
        head = fh.read(5)
    if head == b"From ":
        mbox = mailbox.mbox(str(target), factory=None, create=False)
        try:
            for n, key in enumerate(mbox.iterkeys(), 1):
                yield f"{target}: message {n}", mbox.get_bytes(key)
        finally:
            mbox.close()
        return
    yield str(target), _read(target)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InvalidValueError(f"cannot read {path}: {exc.strerror}") from None


def _letter(message: EmailMessage, where: str, with_body: bool) -> Letter:
    message_id = _message_id(_header(message, "Message-ID"))
    references = _ids(_header(message, "References"))
    in_reply_to = _ids(_header(message, "In-Reply-To"))
    thread = (references or in_reply_to or [message_id or ""])[0]
    date_text = _header(message, "Date")
    sent: datetime | None = None
    date_header = message.get("Date")
    moment = getattr(date_header, "datetime", None) if date_header is not None else None
    if isinstance(moment, datetime):
        sent = moment.astimezone().replace(tzinfo=None) if moment.tzinfo else moment
    recipients: list[Person] = []
    for name in ("To", "Cc", "Bcc"):
        recipients += _people(message, name)
    return Letter(
        where=where,
        message_id=message_id,
        thread=thread,
        sent=sent,
        date_text=date_text,
        subject=" ".join(_header(message, "Subject").split()),
        sender=_people(message, "From") or _people(message, "Sender"),
        recipients=recipients,
        paragraph=_first_paragraph(message) if with_body else None,
    )


def _header(message: EmailMessage, name: str) -> str:
    try:
        value = message.get(name)
    except Exception:  # a header too broken for the parser: treated as absent
        return ""
    return "" if value is None else str(value)


def _message_id(text: str) -> str | None:
    ids = _ids(text)
    if ids:
        return ids[0]
    cleaned = text.strip()
    return cleaned or None


def _ids(text: str) -> list[str]:
    out = []
    for part in text.replace(">", "> ").split():
        part = part.strip()
        if part.startswith("<") and part.endswith(">") and len(part) > 2:
            out.append(part[1:-1].strip())
    return out


def _people(message: EmailMessage, name: str) -> list[Person]:
    out: list[Person] = []
    try:
        headers: list[Any] = message.get_all(name) or []
    except Exception:
        return out
    for header in headers:
        for address in getattr(header, "addresses", ()):
            spec = (address.addr_spec or "").strip().lower()
            if "@" in spec:
                out.append(Person(spec, (address.display_name or "").strip() or None))
    return out


def _first_paragraph(message: EmailMessage) -> str | None:
    """The first paragraph of the message's plain text (no HTML, no attachment)."""
    body = message.get_body(preferencelist=("plain",))
    if body is None:
        return None
    try:
        text = body.get_content()
    except (LookupError, ValueError):  # an unknown charset: nothing to keep
        return None
    if not isinstance(text, str):
        return None
    lines: list[str] = []
    for line in text.replace("\r\n", "\n").split("\n"):
        if line.strip():
            lines.append(line.rstrip())
        elif lines:
            break
    return "\n".join(lines) or None
