"""``python -m cleaner``: the ``article-cleaner`` command line, for environments without the script."""

from .cli import run

if __name__ == "__main__":
    run()
