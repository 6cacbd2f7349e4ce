"""Charts cached by content hash (style version + kind + title + data + alt text + format): in memory
(LRU) and, when a folder is given, on disk under the instance folder, so a page of 30 charts or a
second export draws nothing again. A changed answer changes the data, hence the hash: nothing to
invalidate."""

from __future__ import annotations

import multiprocessing
import os
import tempfile
import threading
from collections import OrderedDict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from reports.charts import ChartSpec, render

_SLOW_FIRST = {"heatmap": 0, "ranking": 1, "stacked": 2}  # chart kinds, by the time one takes to draw


class ChartCache:
    def __init__(self, folder: str | Path | None = None, capacity: int = 512):
        self.folder = Path(folder) if folder else None
        self.capacity = capacity
        self._memory: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def _path(self, digest: str, fmt: str) -> Path | None:
        return self.folder / digest[:2] / f"{digest}.{fmt}" if self.folder else None

    def lookup(self, spec: ChartSpec, fmt: str) -> bytes | None:
        digest = spec.digest(fmt)
        with self._lock:
            found = self._memory.get(digest)
            if found is not None:
                self._memory.move_to_end(digest)
                self.hits += 1
                return found
        path = self._path(digest, fmt)
        if path is not None and path.is_file():
            data = path.read_bytes()
            self._remember(digest, data)
            with self._lock:
                self.hits += 1
            return data
        return None

    def _remember(self, digest: str, data: bytes) -> None:
        with self._lock:
            self._memory[digest] = data
            self._memory.move_to_end(digest)
            while len(self._memory) > self.capacity:
                self._memory.popitem(last=False)

    def store(self, spec: ChartSpec, fmt: str, data: bytes) -> None:
        digest = spec.digest(fmt)
        self._remember(digest, data)
        path = self._path(digest, fmt)
        if path is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        # written whole, then renamed: a concurrent reader sees the old file or the new one, never half
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)

    def get(self, spec: ChartSpec, fmt: str = "png") -> bytes:
        found = self.lookup(spec, fmt)
        if found is not None:
            return found
        with self._lock:
            self.misses += 1
        data = render(spec, fmt)
        self.store(spec, fmt, data)
        return data

    def get_many(self, specs: list[ChartSpec], fmt: str = "png", workers: int = 1) -> dict[str, bytes]:
        """{spec.key: bytes}; the charts not cached are drawn, in `workers` processes when > 1
        (for the CLI and the benchmark; a threaded web server draws in its own process)."""
        out: dict[str, bytes] = {}
        missing = []
        for spec in specs:
            found = self.lookup(spec, fmt)
            if found is None:
                missing.append(spec)
            else:
                out[spec.key] = found
        with self._lock:
            self.misses += len(missing)
        if workers > 1 and len(missing) > 4 and "fork" in multiprocessing.get_all_start_methods():
            # the slowest first and in small chunks, so that no worker is left drawing alone at the end (a
            # heat map or ranking takes ten times a question's bar chart)
            order = sorted(range(len(missing)), key=lambda i: _SLOW_FIRST.get(missing[i].kind, len(_SLOW_FIRST)))
            context = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
                results = pool.map(render, [missing[i] for i in order], [fmt] * len(missing),
                                   chunksize=max(1, len(missing) // (workers * 16)))
                drawn: list = [None] * len(missing)
                for i, data in zip(order, results, strict=True):
                    drawn[i] = data
        else:
            drawn = [render(spec, fmt) for spec in missing]
        for spec, data in zip(missing, drawn, strict=True):
            self.store(spec, fmt, data)
            out[spec.key] = data
        return out
