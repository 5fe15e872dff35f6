"""What the stages derive from one document's data, kept with that document's object: many
rules ask for the same index or reading, and it is made once. Nothing is kept between documents:
it goes with the object."""
from __future__ import annotations

from typing import Callable, TypeVar

T = TypeVar("T")


class Memo:
    """A mixin for one document's view or facts (dataclasses: it adds no field, so equality and
    the fields stay theirs)."""

    def once(self, name: str, make: Callable[..., T]) -> T:
        """make(self), made on the first call with this name and kept with the object. Every
        caller of a name shares what it gives: change it only where one function owns the name
        (a cache it fills), else copy it first."""
        kept = self.__dict__.setdefault("_once", {})
        if name not in kept:
            kept[name] = make(self)
        return kept[name]
