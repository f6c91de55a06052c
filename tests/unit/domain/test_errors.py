"""The user-facing error hierarchy: one plain sentence each, located validation errors, picklable."""

import pickle

import pytest

from boardtui.domain.errors import (
    BoardError,
    Busy,
    Conflict,
    NewerSchema,
    NotABoard,
    NotFound,
    ParseError,
    ReadOnly,
    ValidationError,
)


@pytest.mark.parametrize("cls", [NotFound, NotABoard, NewerSchema, Busy, ReadOnly, ValidationError, ParseError])
def test_every_error_is_a_board_error_with_a_sentence(cls):
    error = cls()
    assert isinstance(error, BoardError)
    assert str(error)
    assert str(cls("file not found: x.db")) == "file not found: x.db"


def test_conflict_names_who_and_when():
    error = Conflict("jsmith", "2016-10-17T09:30:00Z")
    assert error.who == "jsmith"
    assert error.when == "2016-10-17T09:30:00Z"
    assert str(error) == "changed by jsmith at 2016-10-17T09:30:00Z — reload and try again"


def test_validation_error_location():
    error = ValidationError("'x' is not an amount: no digits", row=57, column="plan_000s", value="x")
    assert (error.row, error.column, error.field, error.value) == (57, "plan_000s", "plan_000s", "x")
    assert error.message == "'x' is not an amount: no digits"
    assert str(error) == "row 57, plan_000s: 'x' is not an amount: no digits"
    assert ValidationError("bad", field="title").column == "title"


def test_located_keeps_the_class():
    located = ParseError("bad").located(row=3, column="due")
    assert isinstance(located, ParseError)
    assert str(located) == "row 3, due: bad"


@pytest.mark.parametrize(
    "error",
    [
        Conflict("jsmith", "2016-10-17T09:30:00Z"),
        ValidationError("bad", row=2, column="c", value="v"),
        ParseError("bad", row=2),
        NotFound("no such board"),
    ],
)
def test_errors_survive_pickling_between_processes(error):
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert str(copy) == str(error)
    assert vars(copy) == vars(error)
