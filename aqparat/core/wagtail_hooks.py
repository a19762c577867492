"""The ground floor's part of the admin: the background jobs on the dashboard."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from wagtail import hooks

from aqparat.core.dashboard import DashboardPanel
from aqparat.core.jobs import job_states


@hooks.register("construct_homepage_panels")
def background_jobs_panel(request: HttpRequest, panels: list[Any]) -> None:
    """Each periodic job's last successful run, and a warning when one is late."""
    jobs = job_states()
    panels.append(
        DashboardPanel(
            name="background_jobs", order=200,
            template_name="core/admin/jobs_panel.html",
            context={"jobs": jobs, "late": any(job.late for job in jobs)},
        )
    )  # fmt: skip
