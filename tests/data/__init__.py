"""Files the tests read, each described (with its origin and license) in README.md here."""

from pathlib import Path

DATA = Path(__file__).resolve().parent
