"""Where resume files live, chosen by RESUME_STORE: `local`, a directory outside static/ on
this host (the default, for `make run` and one host), or `database`, a table every web host
reads (several hosts: deploy/README.md). One interface: save, read, delete.

Both are called the same way: `save` in the caller's transaction (a failed commit keeps
nothing: the database's row goes with it; a local file is removed by the caller), `delete`
after the caller's commit (a failed commit must not lose the file)."""
import os
import secrets
from pathlib import Path

from flask import current_app
from sqlalchemy import delete, select

from jobboard.extensions import db
from jobboard.models import ResumeFile


def _new_key(extension: str) -> str:
    return f"{secrets.token_hex(16)}.{extension}"


class LocalResumeStorage:
    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    def save(self, data: bytes, extension: str) -> str:
        self.root.mkdir(parents=True, exist_ok=True)
        key = _new_key(extension)
        with open(self.root / key, "xb") as f:
            f.write(data)
        return key

    def path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if path.parent != self.root.resolve():
            raise FileNotFoundError(key)
        return path

    def read(self, key: str) -> bytes:
        """The file's bytes; FileNotFoundError when it is gone."""
        return self.path(key).read_bytes()

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)


class DatabaseResumeStorage:
    def save(self, data: bytes, extension: str) -> str:
        key = _new_key(extension)
        db.session.add(ResumeFile(key=key, data=data))
        return key

    def read(self, key: str) -> bytes:
        data = db.session.scalar(select(ResumeFile.data).where(ResumeFile.key == key))
        if data is None:
            raise FileNotFoundError(key)
        return data

    def delete(self, key: str) -> None:
        db.session.execute(delete(ResumeFile).where(ResumeFile.key == key))
        db.session.commit()


STORES = {"local": lambda: LocalResumeStorage(current_app.config["RESUME_DIR"]),
          "database": DatabaseResumeStorage}


def storage() -> LocalResumeStorage | DatabaseResumeStorage:
    return STORES[current_app.config["RESUME_STORE"]]()
