"""Beacons the front cache answers itself, counted from the log it writes.

Behind the nginx site we ship (deploy/nginx/aqparat.conf.template), a beacon never
reaches a gunicorn worker: nginx answers 204 and appends one line to a log
(`AQPARAT_BEACON_LOG`). The fold reads what was appended since it last did and counts
each line exactly as the application counts a beacon (bot check, per-client limit,
30-minute repeat window) into the same views buffer, which the fold then drains.

A line is `<msec>\\t<client address>\\t<page id>\\t<User-Agent>\\n` in nginx's default
log escaping (`\\xHH` for `"`, `\\`, bytes below 0x20 and above 0x7E), so no field
holds a tab or a newline. The position is kept in the database per file (device and
inode), so a log rotated to `<log>.1` is finished under its new name and the new file
is read from its start; a truncated file is read again from its start. Each CHUNK of
lines goes to the buffer at once (one SQLite transaction, one Redis round trip) and
then the position is saved: a fold that dies replays at most that chunk, which the
repeat window then counts as repeats, not views; a buffer that refuses a chunk stops
the fold before it.

Written by hand: reading a log incrementally with its position in our own database
is a few lines, and no log-shipping library fits between nginx and the views buffer.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.conf import settings

from aqparat.analytics.buffer import View, ViewBuffer
from aqparat.analytics.models import BeaconLogPosition
from aqparat.analytics.services import is_bot, reader_view

logger = logging.getLogger("aqparat.analytics")
CHUNK = 5000
READ_BYTES = 1 << 20
MEMO_AGENTS = 10_000
_ESCAPED = re.compile(rb"\\x([0-9A-Fa-f]{2})")


@dataclass(frozen=True)
class LogLine:
    at: float
    ip: str
    page_id: int
    user_agent: str


@dataclass
class LogFoldResult:
    lines: int = 0
    counted: int = 0
    malformed: int = 0


def beacon_line_parse(line: bytes) -> LogLine | None:
    """One log line, or None when it is not a beacon line (counted, then skipped)."""
    parts = line.rstrip(b"\r").split(b"\t")
    if len(parts) != 4:
        return None
    at, ip, page, agent = parts
    # bytes.isdigit() is ASCII only; nginx writes "-" for a missing value.
    if not page.isdigit() or len(page) > 18 or not ip or ip == b"-":
        return None
    try:
        seconds = float(at)
    except ValueError:
        return None
    if agent == b"-":
        agent = b""
    agent = _ESCAPED.sub(lambda match: bytes.fromhex(match[1].decode()), agent)
    return LogLine(
        at=seconds,
        ip=ip.decode("ascii", "replace"),
        page_id=int(page),
        user_agent=agent.decode("utf-8", "replace"),
    )


def beacon_log_fold(log: Path, *, buffer: ViewBuffer) -> LogFoldResult:
    """Count the lines appended to `log` (and to `log.1`, its rotated self) since
    the last fold. Raises BufferUnavailable with the position saved before the chunk
    the buffer refused, so nothing is skipped."""
    result = LogFoldResult()
    # One fold's memo of the bot check: the same browsers come again and again.
    bots: dict[str, bool] = {}
    present = []
    for path in (log.with_name(log.name + ".1"), log):  # the older file first
        try:
            handle = path.open("rb")
        except FileNotFoundError:
            continue
        with handle:
            stat = os.fstat(handle.fileno())
            file_id = f"{stat.st_dev}:{stat.st_ino}"
            present.append(file_id)
            position, _ = BeaconLogPosition.objects.get_or_create(
                log=str(log), file_id=file_id
            )
            if position.offset > stat.st_size:  # truncated in place: start again
                position.offset = 0
            handle.seek(position.offset)
            _read(handle, position, buffer, bots, result)
    BeaconLogPosition.objects.filter(log=str(log)).exclude(file_id__in=present).delete()
    if result.malformed:  # nginx writes only ids it checked: a format out of step
        logger.warning("Beacon log %s: %d lines not beacons", log, result.malformed)
    return result


def _read(
    handle: BinaryIO, position: BeaconLogPosition, buffer: ViewBuffer,
    bots: dict[str, bool], result: LogFoldResult,
) -> None:  # fmt: skip
    pending = b""
    while block := handle.read(READ_BYTES):
        data = pending + block
        end = data.rfind(b"\n") + 1
        pending = data[end:]  # a line nginx is still writing: read it next time
        lines = data[:end].split(b"\n")[:-1]
        for start in range(0, len(lines), CHUNK):
            chunk = lines[start : start + CHUNK]
            views = [
                view for line in chunk if (view := _view(line, buffer, bots, result))
            ]
            if views:
                outcomes = buffer.record(
                    views,
                    repeat_seconds=settings.AQPARAT_VIEWS_REPEAT_SECONDS,
                    limit_per_minute=settings.AQPARAT_BEACONS_PER_MINUTE,
                    crowd_limit=settings.AQPARAT_VIEWS_PER_CLIENT_AND_PAGE,
                )
                result.counted += outcomes.count("counted")
            result.lines += len(chunk)
            position.offset += sum(len(line) + 1 for line in chunk)
            position.save(update_fields=["offset", "updated_at"])


def _view(
    line: bytes, buffer: ViewBuffer, bots: dict[str, bool], result: LogFoldResult
) -> View | None:
    """The line's view, or None for a bot or a line that is not a beacon's."""
    parsed = beacon_line_parse(line)
    if parsed is None:
        result.malformed += 1
        return None
    agent = parsed.user_agent
    if len(bots) > MEMO_AGENTS:
        bots.clear()
    if agent not in bots:
        bots[agent] = is_bot(agent)
    if bots[agent]:
        return None
    return reader_view(
        page_id=parsed.page_id, ip=parsed.ip, user_agent=agent, now=parsed.at,
        buffer=buffer,
    )  # fmt: skip
