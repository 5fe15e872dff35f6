"""The CLI's argument parser: errors that suggest what was probably meant (a mistyped option,
command or choice), and the report date that takes today and yesterday."""
from __future__ import annotations

import argparse
import datetime as dt
import difflib
import re
import sys


class Parser(argparse.ArgumentParser):
    """argparse, whose errors suggest the option, command or choice that was probably meant."""

    def error(self, message: str, known: list[str] | None = None):
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}{suggestion(message, known or options_of(self))}\n")


def options_of(parser: argparse.ArgumentParser) -> list[str]:
    return [o for a in parser._actions for o in a.option_strings]


def suggestion(message: str, known: list[str]) -> str:
    """'; did you mean --workers?' for a mistyped option (or command, or choice), else ''."""
    if m := re.search(r"unrecognized arguments: (.*)", message):
        words = [w.split("=", 1)[0] for w in m.group(1).split() if w.startswith("-")]
    elif m := re.search(r"invalid choice: '([^']*)' \(choose from (.*)\)", message):
        words, known = [m.group(1)], re.findall(r"'([^']*)'", m.group(2))
    else:
        return ""
    hints = [h for h in (_closest(w, known) for w in words) if h]
    return f"; did you mean {' '.join(dict.fromkeys(hints))}?" if hints else ""


def _closest(word: str, known: list[str]) -> str | None:
    """The known word closest to `word`; a swap of letters (--degub) beats a shorter near-match."""
    close = difflib.get_close_matches(word, known, n=3, cutoff=0.6)
    same_letters = [c for c in close if sorted(c) == sorted(word)]
    return (same_letters or close or [None])[0]


def report_date(text: str) -> dt.date:
    """--date: YYYY-MM-DD, today or yesterday."""
    words = {"today": 0, "yesterday": 1}
    if text.strip().lower() in words:
        return dt.date.today() - dt.timedelta(days=words[text.strip().lower()])
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date: give YYYY-MM-DD (e.g. 2026-01-31), "
                                         f"today or yesterday") from None


def parse(parser: argparse.ArgumentParser, argv: list[str] | None) -> argparse.Namespace:
    """Arguments; an unknown option is reported by its command's parser (with that command's
    usage, and the option probably meant)."""
    args, extra = parser.parse_known_args(argv)
    if extra:
        sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices[args.command]
        sub.error(f"unrecognized arguments: {' '.join(extra)}", known=options_of(sub) + options_of(parser))
    return args
