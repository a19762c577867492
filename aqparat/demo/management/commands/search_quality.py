"""Print site search quality on the demo newsroom, without and with stemming."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand
from django.db import connection

from aqparat.demo.search_quality import BASELINE_FILE, quality_tables
from aqparat.demo.services import demo_newsroom_load
from aqparat.search.metrics import quality_table


class Command(BaseCommand):
    help = "Score the judged queries (recall@10, MRR, zero results) per language."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--write-baseline",
            action="store_true",
            help="Store the stemmed figures as the test's baseline.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        demo_newsroom_load()
        tables = quality_tables()
        for title, rows in tables.items():
            self.stdout.write(quality_table(rows, title=title) + "\n")
        if options["write_baseline"]:
            baseline = {
                r.language: {
                    "recall_at_10": round(r.recall_at_10, 3),
                    "mrr": round(r.mrr, 3),
                    "zero_result_rate": round(r.zero_result_rate, 3),
                }
                for r in tables["with stemming"]
            }
            stored = (
                json.loads(BASELINE_FILE.read_text()) if BASELINE_FILE.exists() else {}
            )
            stored[connection.vendor] = baseline
            BASELINE_FILE.write_text(json.dumps(stored, indent=2) + "\n")
            self.stdout.write(f"Baseline written to {BASELINE_FILE}")
