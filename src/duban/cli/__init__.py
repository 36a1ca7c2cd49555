"""The ``duban`` command: thin commands over library functions.

Each module holds one family of commands and imports its heavy libraries (rich, the database,
the extractor, the web server) only when a command runs, so ``duban --help`` starts at once.
Every command reports a library error the same way (``_common.run``): one line in Chinese and
English naming the file or the row, exit status 1, never a traceback.
"""
from __future__ import annotations

import click

from ..data import sample_path
from . import corpus, extract, ledger, web

__all__ = ["main", "sample_path"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="duban")
def main() -> None:
    """督办 duban：从政府工作报告到任务分工与督办台账。

    From a government work report to quoted tasks, targets and achievements.
    """


for _module in (extract, ledger, corpus, web):
    for _command in _module.COMMANDS:
        main.add_command(_command)
