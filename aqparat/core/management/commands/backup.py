from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from aqparat.core.backup import BackupError, backup_write


class Command(BaseCommand):
    help = (
        "Write a backup of the whole site (database, views not yet counted, uploads "
        "and renditions on a local disk) to one new file; `restore` reads it back."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("output", type=Path, help="the backup file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = backup_write(options["output"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Backup written to {result.path}: the {result.database} database and "
            f"{result.media_files} media files."
        )
