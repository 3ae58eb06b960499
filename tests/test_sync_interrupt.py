"""Interrupting a sync twin inside a running loop (a notebook cell) cancels its coroutine.

Without this the waiting thread stops but the run or batch goes on in agentnb's IO thread. The
check runs in a subprocess because it sends a real SIGINT to the process.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent(
    """
    import asyncio, os, signal, threading
    from agentnb import _sync

    cancelled = threading.Event()
    started = threading.Event()

    async def long_run():
        started.set()
        try:
            await asyncio.sleep(60)
        except asyncio.CancelledError:
            cancelled.set()
            raise

    def interrupt():
        started.wait(10)
        os.kill(os.getpid(), signal.SIGINT)

    async def cell():  # a running loop, as in a notebook cell
        threading.Thread(target=interrupt, daemon=True).start()
        try:
            _sync.run_sync(long_run())
        except KeyboardInterrupt:
            print("interrupted")
        print("cancelled" if cancelled.wait(10) else "still running")

    # Not asyncio.run(): its SIGINT handler cancels the main task instead of raising
    # KeyboardInterrupt; ipykernel's loop, like this one, leaves Python's default handler.
    asyncio.new_event_loop().run_until_complete(cell())
    """
)


def test_keyboard_interrupt_cancels_the_coroutine_in_the_io_thread() -> None:
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=60)
    assert done.stdout.split() == ["interrupted", "cancelled"], done.stderr
