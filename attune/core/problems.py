"""A change an action refuses for reasons tied to the settings or fields they are about."""


class Problems(Exception):
    """`problems` by field or setting, in the words a form shows beside each: a page puts each by
    its field and keeps what was typed; an importer or a job reports them as they are."""

    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems.values()))
