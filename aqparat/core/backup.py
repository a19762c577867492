"""Backups of a whole site in one file, and their restore (issue 17, item 7).

A backup is a tar file: `aqparat-backup.json` (what it holds), the database
(`database.sqlite3`, an online copy by SQLite's backup API, or `database.pgdump`,
pg_dump's custom format), the embedded default's view buffer when there is one, and
the uploads and renditions under `media/` when they are on a local disk. Views still
buffered are folded into the counts first, so the copy has them.

A restore goes into an empty database only (a new SQLite file, or a PostgreSQL
database with no tables): it never overwrites a site. Afterwards the shared cache
is emptied, so no page of the old data is served.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3

# pg_dump and pg_restore, each a fixed argument list and no shell.
import subprocess  # nosec
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone

FORMAT = 1
MANIFEST = "aqparat-backup.json"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    database: str
    media_files: int


def backup_write(output: Path) -> BackupResult:
    """Write the site's backup to `output` (a new file)."""
    if output.exists():
        raise BackupError(f"{output} exists: a backup never overwrites a file")
    call_command("fold_views", stdout=io.StringIO())  # buffered views into counts
    vendor = connection.vendor
    with tempfile.TemporaryDirectory(prefix="aqparat-backup-") as work:
        folder = Path(work)
        if vendor == "sqlite":
            _sqlite_copy(Path(settings.DATABASES["default"]["NAME"]),
                         folder / "database.sqlite3")  # fmt: skip
        elif vendor == "postgresql":
            _pg_dump(folder / "database.pgdump")
        else:
            raise BackupError(f"no backup for a {vendor} database")
        buffer = Path(settings.AQPARAT_VIEWS_BUFFER_PATH)
        if not getattr(settings, "REDIS_URL", "") and buffer.exists():
            _sqlite_copy(buffer, folder / "views-buffer.sqlite3")
        media = _media_root()
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "created": timezone.now().isoformat(),
            "database": vendor,
            "views_buffer": (folder / "views-buffer.sqlite3").exists(),
            "media": media is not None,
        }
        (folder / MANIFEST).write_text(json.dumps(manifest, indent=2))
        partial = output.with_name(output.name + ".partial")
        count = 0
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(folder / MANIFEST, arcname=MANIFEST)
            for name in ("database.sqlite3", "database.pgdump", "views-buffer.sqlite3"):
                if (folder / name).exists():
                    tar.add(folder / name, arcname=name)
            if media is not None and media.is_dir():
                for path in sorted(media.rglob("*")):
                    if path.is_file():
                        tar.add(path, arcname=f"media/{path.relative_to(media)}")
                        count += 1
        os.replace(partial, output)  # a backup file is whole or absent
    return BackupResult(path=output, database=vendor, media_files=count)


def backup_restore(source: Path) -> dict[str, Any]:
    """Restore the backup `source` into this site's (empty) database and media."""
    try:
        tar = tarfile.open(source, "r:gz")
    except (OSError, tarfile.TarError) as error:
        raise BackupError(f"{source} is not an Aqparat backup: {error}") from None
    with tar, tempfile.TemporaryDirectory(prefix="aqparat-restore-") as work:
        manifest = _manifest(tar, source)
        vendor = connection.vendor
        if manifest["database"] != vendor:
            raise BackupError(
                f"{source} holds a {manifest['database']} database; this site's is "
                f"{vendor}: restore it where DATABASE_URL names that kind"
            )
        if not _database_empty():
            raise BackupError(
                "this site's database is not empty: a restore never overwrites a site "
                "(restore into a new database or an empty SQLite path)"
            )
        folder = Path(work)
        # Only regular files, inside the folder (Python's "data" filter).
        tar.extractall(folder, filter="data")
        if vendor == "sqlite":
            _sqlite_restore(folder / "database.sqlite3")
        else:
            _pg_restore(folder / "database.pgdump")
        buffer = folder / "views-buffer.sqlite3"
        if buffer.exists() and not getattr(settings, "REDIS_URL", ""):
            target = Path(settings.AQPARAT_VIEWS_BUFFER_PATH)
            target.parent.mkdir(parents=True, exist_ok=True)
            _sqlite_copy(buffer, target)
        media = _media_root()
        restored = 0
        if (folder / "media").is_dir():
            if media is None:
                raise BackupError(
                    "the backup holds media files but this site's storage is not a "
                    "local folder: copy them from the backup's media/ to the storage"
                )
            for path in sorted((folder / "media").rglob("*")):
                if path.is_file():
                    target = media / path.relative_to(folder / "media")
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(path, target)
                    restored += 1
    cache.clear()  # nothing cached from the data this site had before
    return {**manifest, "media_files_restored": restored}


def _manifest(tar: tarfile.TarFile, source: Path) -> dict[str, Any]:
    try:
        member = tar.extractfile(MANIFEST)
        manifest = json.loads(member.read()) if member else None
    except (KeyError, ValueError, tarfile.TarError):
        manifest = None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{source} is not an Aqparat backup (format {FORMAT})")
    return manifest


def _media_root() -> Path | None:
    if isinstance(default_storage, FileSystemStorage):
        return Path(default_storage.location)
    return None


def _sqlite_copy(source: Path, target: Path) -> None:
    """An online copy: SQLite's backup API sees a consistent database while
    writers go on (WAL)."""
    live, copy = sqlite3.connect(source), sqlite3.connect(target)
    try:
        live.backup(copy)
    finally:
        copy.close()
        live.close()


def _database_empty() -> bool:
    return not connection.introspection.table_names()


def _sqlite_restore(copy: Path) -> None:
    target = Path(settings.DATABASES["default"]["NAME"])
    connections.close_all()
    target.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    partial = target.with_name(target.name + ".partial")
    _sqlite_copy(copy, partial)
    os.replace(partial, target)


def _pg_environment() -> tuple[list[str], dict[str, str]]:
    db = settings.DATABASES["default"]
    args = ["--dbname", db["NAME"]]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            args += [flag, str(db[key])]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _pg_dump(target: Path) -> None:
    args, env = _pg_environment()
    _pg_tool(["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
              "--file", str(target), *args], env)  # fmt: skip


def _pg_restore(dump: Path) -> None:
    connections.close_all()
    args, env = _pg_environment()
    _pg_tool(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
              "--single-transaction", *args, str(dump)], env)  # fmt: skip


def _pg_tool(command: list[str], env: dict[str, str]) -> None:
    try:
        # A fixed program and our own arguments (the settings' database), no shell.
        subprocess.run(command, env=env, check=True, capture_output=True, text=True)  # noqa: S603 # nosec
    except FileNotFoundError:
        raise BackupError(
            f"{command[0]} is not installed (Debian: apt-get install postgresql-client)"
        ) from None
    except subprocess.CalledProcessError as error:
        raise BackupError(f"{command[0]} failed: {error.stderr.strip()}") from None
