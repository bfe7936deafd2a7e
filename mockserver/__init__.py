"""The tester's mock server (FastAPI): arrives with the sync issue. Qt-free, imports ``sync``."""
