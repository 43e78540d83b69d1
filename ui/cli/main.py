"""The one ``greenmfg`` command. Each area registers its commands from its own module."""

from __future__ import annotations

import typer

from ui.cli import answers, eligibility, knowledge, reports, scoring, service
from ui.cli.common import force_utf8_stdout

app = typer.Typer(
    name="greenmfg",
    help="绿色制造体系助手 — green manufacturing programme assistant.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
eval_app = typer.Typer(help="Run an evaluation dataset and print its metrics.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")

for module in (knowledge, answers, eligibility, scoring, reports, service):
    module.register(app, eval_app)


def main() -> None:
    force_utf8_stdout()
    app()


if __name__ == "__main__":
    main()
