"""Entry point of the packaged application: the same ``ouvrage`` command line."""

import multiprocessing
import sys

from app.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()  # a frozen app that spawns must not re-run main()
    sys.exit(main())
