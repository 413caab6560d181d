"""Progress of a long run: a bar on a terminal, plain lines otherwise.

`Progress` is what `ingest` (and any other long run: the benchmarks, the national generator)
shows while it works: on a terminal a `tqdm` bar on stderr (done / total, the rows so far, time
elapsed and left, what the run is doing now), kept below the lines printed through `line()`; when
stderr is not a terminal (a pipe, a log file, a test) no bar at all, only the lines, each printed
and flushed as soon as it is known.  A reader that goes away (`... | head -1`) stops the printing,
never the work.
"""

from __future__ import annotations

import os
import sys
from typing import TextIO

from pipeline.grammar import form, number


class Progress:
    """A progress bar of `total` items (`what`: the Polish genitive plural shown after the count)."""

    def __init__(self, total: int, what: str = "eksportów", *, bar: bool | None = None,
                 out: TextIO | None = None, err: TextIO | None = None) -> None:
        self.total, self.done, self.rows = total, 0, 0
        self.out = out or sys.stdout
        self._closed_pipe = False
        err = err or sys.stderr
        wanted = bar if bar is not None else (total > 1 and _is_terminal(err))
        self._bar = None
        if wanted:
            from tqdm import tqdm

            self._bar = tqdm(total=total, file=err, leave=False, dynamic_ncols=True, mininterval=0.5,
                             desc="start", bar_format="{desc}: {n_fmt}/{total_fmt} " + what
                             + " |{bar}| {postfix} | {elapsed}, zostało ~{remaining}")
            self._bar.set_postfix_str(self._rows_text(), refresh=False)

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def shows_bar(self) -> bool:
        return self._bar is not None

    def _rows_text(self) -> str:
        return f"{number(self.rows)} {form(self.rows, 'wiersz', 'wiersze', 'wierszy')}"

    def stage(self, text: str) -> None:
        """What the run is doing now (on the bar only)."""
        if self._bar is not None:
            self._bar.set_description_str(text, refresh=True)

    def advance(self, n: int = 1, rows: int = 0) -> None:
        """`n` more items done, with `rows` more rows."""
        self.done += n
        self.rows += rows
        if self._bar is not None:
            self._bar.set_postfix_str(self._rows_text(), refresh=False)
            self._bar.update(n)

    def line(self, text: str) -> None:
        """Print a line now (above the bar on a terminal); a closed pipe stops the printing, not the run."""
        if self._closed_pipe:
            return
        try:
            if self._bar is not None:
                self._bar.write(text, file=self.out)
                self.out.flush()
            else:
                print(text, file=self.out, flush=True)
        except BrokenPipeError:
            self._closed_pipe = True
            try:
                devnull = os.open(os.devnull, os.O_WRONLY)  # so that the final flush at exit does not fail either
                os.dup2(devnull, self.out.fileno())
                os.close(devnull)
            except (OSError, ValueError):
                pass

    def close(self) -> None:
        """Remove the bar (the lines stay)."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
