"""Ouvrage: an offline-first desktop client for micro-task work."""

__version__ = "0.1.0"
