"""Exceptions of readout. Each edge (CLI, API) translates them once into a one-line message."""


class ReadoutError(Exception):
    """Base class: everything readout raises on purpose derives from it."""


class UnreadableInput(ReadoutError):
    """A file, folder or feed that cannot be turned into articles."""

    def __init__(self, path: str, reason: str):
        self.path, self.reason = str(path), reason
        super().__init__(f"{path}: {reason}")


class KnowledgeBaseError(ReadoutError):
    """A knowledge-base file refused whole; `problems` lists every (line, reason)."""

    def __init__(self, path: str, problems: list[tuple[int, str]]):
        self.path, self.problems = str(path), problems
        line, reason = problems[0]
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        super().__init__(f"{path}:{line}: {reason}{more}")


class StoreError(ReadoutError):
    """The database cannot be reached or refuses an operation."""


class GoldError(ReadoutError):
    """A gold annotation file that does not follow the gold format."""
