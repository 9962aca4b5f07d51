"""How a candidate rates an answer: four ratings in interview wording, mapped onto FSRS's Again/Hard/Good/Easy."""

from __future__ import annotations

from enum import IntEnum


class Rating(IntEnum):
    """A self-rating of one answer; the value is FSRS's rating (1 Again .. 4 Easy)."""

    BLANKED = 1
    SHAKY = 2
    SOLID = 3
    NAILED_IT = 4

    @property
    def label(self) -> str:
        """The word on the button."""
        return RATING_LABELS[self]

    @classmethod
    def parse(cls, value: object) -> Rating:
        """A rating from stored or typed input; ValueError unless it is exactly one of 1..4."""
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            raise ValueError(f"rating {value!r} is not a number from 1 to 4")
        try:
            number = int(value)
        except ValueError:
            raise ValueError(f"rating {value!r} is not a number from 1 to 4") from None
        if number not in cls._value2member_map_:
            raise ValueError(f"rating {number} is outside 1-4")
        return cls(number)


RATING_LABELS: dict[int, str] = {Rating.BLANKED: "Blanked", Rating.SHAKY: "Shaky", Rating.SOLID: "Solid",
                                 Rating.NAILED_IT: "Nailed it"}
RATING_FSRS_NAMES: dict[int, str] = {Rating.BLANKED: "Again", Rating.SHAKY: "Hard", Rating.SOLID: "Good",
                                     Rating.NAILED_IT: "Easy"}
