"""Email as mail programs keep it: one `.eml` file, a folder of them, an mbox file or a
Maildir, read with the standard library (`mailbox`, and `email` with `policy.default`,
which decodes encoded words and quoted-printable text).

Messages are read one at a time (an mbox is indexed by byte offsets first, as `mailbox`
does), so memory stays flat however big the mailbox. Only headers are parsed unless the
first paragraph of the body is wanted; attachments are never opened.

The few headers srm reads are taken as written (`raw_items`) and read with the email
package's own functions (`getaddresses`, `parsedate_to_datetime`, `decode_header` for
encoded words), rather than through `policy.default`'s header objects, which build a
full syntax tree of every header fetched: two thirds of an import's time, for values
these functions give the same.
"""

from __future__ import annotations

import contextlib
import email.errors
import email.header
import email.policy
import email.utils
import mailbox
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from email.headerregistry import HeaderRegistry
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

from srmcli.errors import InvalidValueError
from srmcli.readers.background import Handed


class _RememberingRegistry(HeaderRegistry):
    """`policy.default`'s header registry, remembering what it built: the class for a
    header name (the stock registry builds a new class on every lookup) and the parsed
    value of headers that recur word for word from message to message (the parser itself
    reads Content-Type of every message)."""

    RECURRING = frozenset({"content-type", "content-transfer-encoding", "mime-version"})
    REMEMBERED = 512

    def __init__(self) -> None:
        super().__init__()
        self._classes: dict[str, Any] = {}
        self._values: dict[tuple[str, str], Any] = {}

    def __getitem__(self, name: str) -> Any:
        folded = name.lower()
        made = self._classes.get(folded)
        if made is None:
            made = self._classes[folded] = super().__getitem__(name)
        return made

    def __call__(self, name: str, value: str) -> Any:
        folded = name.lower()
        if folded not in self.RECURRING:
            return self[name](name, value)
        remembered = self._values.get((folded, value))
        if remembered is None:
            if len(self._values) >= self.REMEMBERED:
                self._values.clear()
            remembered = self._values[(folded, value)] = self[name](name, value)
        return remembered


POLICY = email.policy.default.clone(header_factory=_RememberingRegistry())


@dataclass
class Person(Handed):
    address: str  # lower case
    name: str | None = None


@dataclass
class Letter(Handed):
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
    parser = BytesParser(policy=POLICY)
    for where, raw in _messages(target):
        if b"\x00" in raw:
            raise InvalidValueError(f"{where}: holds a NUL byte; a mail message is text")
        message = parser.parsebytes(raw, headersonly=not with_body)
        yield _letter(message, where, with_body)  # type: ignore[arg-type]


@contextlib.contextmanager
def letters_in(path: str, *, with_body: bool = False) -> Iterator[Iterator[Letter]]:
    """The messages of `read_mail`, read in a second process when there are many of them
    (`readers.background`); the reading starts here."""
    from srmcli.readers import background

    with background.records(
        lambda: read_mail(path, with_body=with_body), background.size_of(path)
    ) as found:
        yield found


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
    headers: dict[str, list[str]] = {}
    for name, value in message.raw_items():
        wanted = name.lower()
        if wanted in _READ:
            headers.setdefault(wanted, []).append(_unfolded(value))

    if not any(any(headers.get(h, ())) for h in _ANY_OF):  # a calendar, a note: not mail
        raise InvalidValueError(
            f"{where}: not a mail message (no From, To, Date or Message-ID header); "
            "give an .eml file, a folder of them, an mbox file or a Maildir"
        )

    def first(name: str) -> str:
        return headers.get(name, [""])[0]

    message_id = _message_id(first("message-id"))
    references = _ids(first("references"))
    in_reply_to = _ids(first("in-reply-to"))
    thread = (references or in_reply_to or [message_id or ""])[0]
    date_text = first("date")
    sent: datetime | None = None
    try:
        moment = email.utils.parsedate_to_datetime(date_text) if date_text else None
    except (TypeError, ValueError, IndexError, OverflowError):
        moment = None
    if isinstance(moment, datetime):
        sent = moment.astimezone().replace(tzinfo=None) if moment.tzinfo else moment
    recipients: list[Person] = []
    for name in ("to", "cc", "bcc"):
        recipients += _people(headers.get(name, []))
    return Letter(
        where=where,
        message_id=message_id,
        thread=thread,
        sent=sent,
        date_text=date_text,
        subject=" ".join(_decoded_words(first("subject")).split()),
        sender=_people(headers.get("from", [])) or _people(headers.get("sender", [])),
        recipients=recipients,
        paragraph=_first_paragraph(message) if with_body else None,
    )


_ANY_OF = ("from", "sender", "to", "cc", "date", "message-id")
_READ = frozenset(
    {"message-id", "references", "in-reply-to", "date", "subject", "from", "sender", "to",
     "cc", "bcc"}
)  # fmt: skip


def _unfolded(value: object) -> str:
    text = str(value)
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            # 8-bit bytes in a header (RFC 6532 allows UTF-8 there): read them as UTF-8
            text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return " ".join(text.replace("\r", " ").replace("\n", " ").split())


def _decoded_words(text: str) -> str:
    """`=?utf-8?q?J=C3=BCrgen?=` as `Jürgen`; text without encoded words as it is."""
    if "=?" not in text:
        return text
    try:
        return str(email.header.make_header(email.header.decode_header(text)))
    except (LookupError, UnicodeError, ValueError, email.errors.HeaderParseError):
        return text


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


# the people of a header, by its text: a mailbox repeats the same From and To lines
# thousands of times, and `getaddresses` reads each one character by character
_PEOPLE: dict[tuple[str, ...], tuple[Person, ...]] = {}
REMEMBERED_HEADERS = 4096


def _people(values: list[str]) -> list[Person]:
    if not values:
        return []
    asked = tuple(values)
    known = _PEOPLE.get(asked)
    if known is None:
        found: list[Person] = []
        for name, address in email.utils.getaddresses(values):
            spec = address.strip().lower()
            if "@" in spec:
                found.append(Person(spec, _decoded_words(name).strip() or None))
        if len(_PEOPLE) >= REMEMBERED_HEADERS:
            _PEOPLE.clear()
        known = _PEOPLE[asked] = tuple(found)
    return [Person(p.address, p.name) for p in known]


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
