"""The tester's mock server: FastAPI + uvicorn over its own SQLite. Qt-free.

Imports ``sync`` and the Qt-free parts of ``taskkinds`` only. Run it with
``ouvrage-mock-server serve``; in tests use ``mockserver.testing.running_server``.
"""
