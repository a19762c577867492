from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from aqparat.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup written by `backup` into this site's database, which must "
        "be empty (a new database or SQLite path), and its media folder."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("backup", type=Path, help="the backup file to read")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            restored = backup_restore(options["backup"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Restored the {restored['database']} database of {restored['created']} "
            f"and {restored['media_files_restored']} media files."
        )
