"""One stream engine for every protocol (``engine``), over an I/O-free FrameReader (``reader``);
``closing`` closes what a dropped stream leaves open."""

from agentnb._stream.engine import EventStream, FramedBody, ResponseOpener
from agentnb._stream.reader import FrameReader

__all__ = ["EventStream", "FrameReader", "FramedBody", "ResponseOpener"]
