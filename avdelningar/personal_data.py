"""Personal data held by apps on higher floors, for a person's register extract and their
anonymisation (``avdelningar.services``), which cannot import those apps.

An app registers a section in its ``AppConfig.ready()``::

    register(title="kandidatbedömningar", extract=my_extract, anonymize=my_anonymize)

``extract(person)`` returns the section's plain, JSON-able data (a list or a dict; empty
when the app holds nothing about the person). ``anonymize(person=, user=, request=)`` runs
inside the anonymisation's transaction and removes or clears what the app holds about the
person (recording it in the trail itself); it may be None when the app keeps nothing
personal beyond the link to the Person row, whose name the anonymisation replaces.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    title: str
    extract: Callable
    anonymize: Callable | None = None


_SECTIONS: dict[str, Section] = {}


def register(*, title: str, extract: Callable, anonymize: Callable | None = None) -> None:
    """Add (or replace, by title) a section of the register extract."""
    _SECTIONS[title] = Section(title=title, extract=extract, anonymize=anonymize)


def sections() -> list[Section]:
    return [_SECTIONS[t] for t in sorted(_SECTIONS)]


def extract_sections(person) -> dict:
    """{title: data} from every registered section."""
    return {s.title: s.extract(person) for s in sections()}


def anonymize_sections(*, person, user, request=None) -> None:
    for s in sections():
        if s.anonymize is not None:
            s.anonymize(person=person, user=user, request=request)
