"""``python -m stead.cli``: the same as the ``stead`` command."""

from stead.cli.main import main

main()
