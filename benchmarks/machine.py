"""What machine a benchmark ran on, recorded beside its figures."""

from __future__ import annotations

import json
import os
import platform
from datetime import datetime, timezone


def describe() -> dict[str, str]:
    cpu = platform.processor() or "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    try:
        with open("/proc/meminfo") as f:
            mem_gib = int(f.readline().split()[1]) / 1024 / 1024
    except (OSError, ValueError, IndexError):
        mem_gib = 0.0
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    return {
        "description": f"{os.cpu_count()} cores ({cpu}), {mem_gib:.0f} GiB, Python {platform.python_version()}, "
                       f"{platform.system()} {platform.release()}",
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC") + f" (load {load:.1f} at start)",
    }


def save(path: str, result: dict) -> None:
    """Write a benchmark's figures as JSON, with the machine and date they were measured on."""
    with open(path, "w") as f:
        json.dump({**result, "machine": describe()}, f, indent=2)
