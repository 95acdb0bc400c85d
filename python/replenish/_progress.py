"""Progress reporting for long calls (``progress=`` of :func:`replenish.plan`,
:func:`replenish.forecast`, :func:`replenish.cross_validation`, reports).

The Rust core counts its work; while it runs, the calling thread looks at the
counts every 100 ms and hands them to a callback. Ctrl-C during the call cancels
the work and raises ``KeyboardInterrupt`` once it has stopped.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Callable, Iterator, Optional, Union

#: ``None``: a tqdm bar when tqdm is installed and the call runs longer than a
#: second; ``True``: a tqdm bar from the start (tqdm required); ``False``: none;
#: a callable: called as ``callback(done, total)`` about ten times a second.
ProgressArg = Union[None, bool, Callable[[int, int], Any]]


@contextmanager
def progress_callback(progress: ProgressArg, desc: str) -> Iterator[Optional[Callable[[int, int], None]]]:
    """The ``on_progress`` callback for the native call, and the bar closed after it."""
    if progress is False:
        yield None
        return
    if callable(progress) and not isinstance(progress, bool):
        yield progress
        return
    try:
        from tqdm.auto import tqdm
    except ImportError:
        if progress is True:
            from . import InputError

            raise InputError("progress=True needs tqdm: pip install tqdm") from None
        yield None
        return
    bar = tqdm(total=None, desc=desc, delay=0 if progress is True else 1.0, leave=progress is True, dynamic_ncols=True)

    def update(done: int, total: int) -> None:
        if total and bar.total != total:
            bar.total = total
        if done > bar.n:
            bar.update(done - bar.n)  # honours the bar's delay and refresh interval

    try:
        yield update
    finally:
        bar.close()
