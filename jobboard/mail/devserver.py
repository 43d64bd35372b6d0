"""A real SMTP server for development and tests (aiosmtpd) that keeps each message as a file.

`make run` starts it on a free port and points MAIL_URL at it; /dev/mail reads the files.
    python -m jobboard.mail.devserver --dir instance/mail --port 8025
"""
import argparse
import os
import re
import signal
import threading
import time
import uuid
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller

from jobboard.search.server import free_port

MESSAGE_ID = re.compile(r"^\d+-[0-9a-f]{8}$")


class MailDirHandler:
    def __init__(self, directory: Path):
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)

    async def handle_DATA(self, server, session, envelope):
        name = f"{time.time_ns()}-{uuid.uuid4().hex[:8]}"
        tmp = self.directory / f".{name}.tmp"
        tmp.write_bytes(envelope.original_content or envelope.content)
        os.replace(tmp, self.directory / f"{name}.eml")  # readers never see half a message
        return "250 Message accepted for delivery"


def start(directory: Path, port: int = 0, host: str = "127.0.0.1") -> Controller:
    """A running server; `.port` is the port it listens on (a free one for port 0: aiosmtpd
    connects to its own port to finish starting, so it cannot take 0 itself)."""
    controller = Controller(MailDirHandler(directory), hostname=host, port=port or free_port())
    controller.start()
    return controller


@dataclass
class StoredMessage:
    id: str
    message: EmailMessage

    def __getitem__(self, header: str):
        return self.message[header]

    @property
    def text(self) -> str:
        part = self.message.get_body(("plain",))
        return part.get_content() if part else ""

    @property
    def html(self) -> str:
        part = self.message.get_body(("html",))
        return part.get_content() if part else ""


def message_ids(directory: Path) -> list[str]:
    """The stored messages' ids (file names: nanoseconds first), newest first."""
    directory = Path(directory)
    return sorted((p.stem for p in directory.glob("*.eml")), reverse=True) \
        if directory.is_dir() else []


def read_message(directory: Path, message_id: str) -> StoredMessage | None:
    if not MESSAGE_ID.match(message_id):  # an id, never a path
        return None
    path = Path(directory) / f"{message_id}.eml"
    if not path.is_file():
        return None
    return StoredMessage(message_id, message_from_bytes(path.read_bytes(), policy=policy.default))


def messages(directory: Path) -> list[StoredMessage]:
    """The stored messages, newest first."""
    return [read_message(directory, i) for i in message_ids(directory)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", required=True, type=Path)
    parser.add_argument("--port", type=int, default=8025)
    args = parser.parse_args()
    controller = start(args.dir, args.port)
    print(f"Development SMTP server on 127.0.0.1:{controller.port}, messages in {args.dir}",
          flush=True)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
