"""Ouvrage: an offline-first desktop client for micro-task work."""

import os

__version__ = "0.1.0"

# pydantic looks for plugins the first time a model is built by reading the entry points
# of every installed distribution: 10-30 ms at start-up, for plugins (tracing, metrics)
# Ouvrage never uses and should not let an unrelated package slip into its validation.
# An explicit setting in the environment is kept.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
