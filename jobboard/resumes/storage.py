"""Where resume files live: one interface, a local directory outside static/ by default."""
import os
import secrets
from pathlib import Path

from flask import current_app


class LocalResumeStorage:
    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    def save(self, data: bytes, extension: str) -> str:
        self.root.mkdir(parents=True, exist_ok=True)
        key = f"{secrets.token_hex(16)}.{extension}"
        path = self.root / key
        with open(path, "xb") as f:
            f.write(data)
        return key

    def path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if path.parent != self.root.resolve():
            raise FileNotFoundError(key)
        return path

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)


def storage() -> LocalResumeStorage:
    return LocalResumeStorage(current_app.config["RESUME_DIR"])
