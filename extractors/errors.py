"""One root exception for jixiao, a subclass per stage; each carries its evidence."""
from __future__ import annotations


class JixiaoError(Exception):
    """Root of every error jixiao raises on purpose.

    `code` is a short machine-readable reason (stored in ingest_errors.code); the message is a
    sentence for a person. `path`, `page`, `rule` and `span` locate the evidence when known.
    """

    code = "error"

    def __init__(self, message: str, *, code: str | None = None, path: str | None = None,
                 page: int | None = None, rule: str | None = None,
                 span: tuple[int, int] | None = None) -> None:
        super().__init__(message)
        if code:
            self.code = code
        self.path, self.page, self.rule, self.span = path, page, rule, span

    def __str__(self) -> str:
        where = [p for p in (self.path, f"page {self.page}" if self.page else None) if p]
        base = super().__str__()
        return f"{': '.join(where)}: {base}" if where else base


class TextLayerError(JixiaoError):
    """A PDF (or one of its pages) could not be opened or read."""
    code = "unreadable"


class RulesError(JixiaoError):
    """A rules file under extractors/rules/ is missing or malformed."""
    code = "rules"


class ExtractionError(JixiaoError):
    """Mention extraction failed on otherwise readable text."""
    code = "extract"
