"""Lets `python -m coachlog` run the same CLI as the `coachlog` script."""

from coachlog.cli import main

if __name__ == "__main__":
    main()
