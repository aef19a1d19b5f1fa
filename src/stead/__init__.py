"""Stead: an open platform for long-running business processes."""

__version__ = "0.1.0"
