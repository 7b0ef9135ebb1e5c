"""What a running server is allowed to do, read once from the environment at start."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from readout.errors import ReadoutError

MEGABYTE = 1024 * 1024


@dataclass(frozen=True)
class Settings:
    db: str | None = None                 # as for --db: None means ./readout.db
    token: str | None = None              # bearer token for writes; None = read-only server
    max_body: int = MEGABYTE              # larger request bodies are refused with 413
    folders: tuple[Path, ...] = ()        # where a write may name a file on the server
    cache_mb: int = 64                    # answers kept until the store changes; 0: none
    threads: int = 4                      # answers computed at once per process
    shared_answers: Path | None = None    # folder where the processes of one server share answers

    @classmethod
    def from_env(cls, db: str | None = None, environ=os.environ) -> Settings:
        """READOUT_DB, READOUT_API_TOKEN, READOUT_API_MAX_BODY (bytes), READOUT_API_FOLDERS
        (folders separated by the system's path separator, ':' on Linux) and READOUT_CACHE_MB
        (megabytes of answers kept, 0 for none)."""
        folders = [part for part in environ.get("READOUT_API_FOLDERS", "").split(os.pathsep) if part]
        return cls(db=db or environ.get("READOUT_DB"),
                   token=environ.get("READOUT_API_TOKEN") or None,
                   max_body=_size(environ.get("READOUT_API_MAX_BODY")),
                   folders=tuple(Path(f).resolve() for f in folders),
                   cache_mb=_megabytes(environ.get("READOUT_CACHE_MB")),
                   shared_answers=Path(environ["READOUT_SHARED_ANSWERS"]) if environ.get("READOUT_SHARED_ANSWERS") else None)

    @property
    def writable(self) -> bool:
        return bool(self.token)


class SettingsError(ReadoutError):
    """A server setting that cannot be used."""


def _size(value: str | None) -> int:
    if value is None:
        return MEGABYTE
    if not value.isdigit() or int(value) == 0:
        raise SettingsError(f"READOUT_API_MAX_BODY={value!r}: expected a number of bytes, such as 1048576")
    return int(value)


def _megabytes(value: str | None) -> int:
    if value is None:
        return Settings.cache_mb
    if not value.isdigit():
        raise SettingsError(f"READOUT_CACHE_MB={value!r}: expected a whole number of megabytes, such as 64 (0: keep none)")
    return int(value)
