"""Changing savings data: programmes and schemes created, edited and deleted, and one month's figure set.

Every change goes through `writing()` (one `BEGIN IMMEDIATE` transaction, version-checked, audited); a deletion
keeps a full snapshot of the row in the audit trail. Forms hand over what people typed as text: the `clean_*`
functions check it all at once and raise `FieldErrors` naming every field that is wrong, so a form can put a
message under each.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from boardtui.domain import savings as calc
from boardtui.domain.errors import Conflict, ParseError, ValidationError
from boardtui.domain.money import ValueStatus, as_value, parse_money
from boardtui.domain.periods import fy_label, fy_months, month_label, parse_fy, parse_month
from boardtui.domain.text import quoted, terminal_safe
from boardtui.store import lookups
from boardtui.store.connection import Board
from boardtui.store.savings import refresh_scheme_rollup
from boardtui.store.tx import Writer, writing

PROGRAMME_FIELDS = ("name", "aliases", "sro", "focus", "impact")
SCHEME_FIELDS = (
    "ref", "programme", "title", "components", "impact", "lead", "sro", "stage", "year", "plan", "recurrent",
    "non_recurrent", "start_month", "confidence", "commentary",
)
MONTH_FIELDS = {"plan": "plan_pence", "actual": "actual_pence", "fot": "fot_pence"}
MONTH_FIELD_NAMES = {"plan": "plan", "actual": "actual", "fot": "forecast outturn"}
MAX_REF = 40
MAX_NAME = 200


class FieldErrors(ValidationError):
    """Several fields refused at once: `errors` maps each field to its one-sentence reason."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = dict(errors)
        first = next(iter(self.errors))
        super().__init__(self.errors[first], field=first)

    def __reduce__(self):
        return (type(self), (self.errors,))


# ---- turning typed text into values ---------------------------------------------------------------------------

def _text(value: object) -> str | None:
    cleaned = terminal_safe(value).strip()
    return cleaned or None


def _line(value: object) -> str | None:
    cleaned = _text(value)
    return None if cleaned is None else " ".join(cleaned.split())


def _listing(value: object) -> str | None:
    parts = [p for p in (_line(x) for x in terminal_safe(value).split(";")) if p]
    return ";".join(parts) or None


def money_text(pence: int | None, status: ValueStatus | str | None = None, unit: str = "000s") -> str:
    """Pence as text in `unit` (£000s unless told) that parses back to exactly the same pence ("1,651",
    "1,651.5"); TBC/NA as words."""
    if pence is None:
        if status is not None and ValueStatus(status) in (ValueStatus.TBC, ValueStatus.NA):
            return ValueStatus(status).value
        return ""
    amount = (Decimal(int(pence)) / Decimal(parse_money("1", unit))).normalize()
    return f"{amount:,f}"


def _amount(text: object, what: str, *, allow_status: bool,
            allow_negative: bool = False, unit: str = "000s") -> tuple[int | None, ValueStatus]:
    raw = "" if text is None else str(text)
    parsed = parse_money(raw, unit)  # ParseError says why, on the field
    pence, status = as_value(parsed)
    if status is not ValueStatus.QUANTIFIED and not allow_status:
        if raw.strip() and raw.strip().lower() not in ("tbc", "tbd", "-"):
            raise ValidationError(f"{what} cannot be NA: leave it blank when it is not known.")
        return None, ValueStatus.TBC
    if pence is not None and pence < 0 and not allow_negative:
        raise ValidationError(f"{what} cannot be negative: enter the saving as a positive amount.")
    return pence, status


def clean_programme(values: Mapping[str, object]) -> dict:
    """The programme columns from a form's text, or FieldErrors naming every field that is wrong."""
    errors: dict[str, str] = {}
    name = _line(values.get("name"))
    if name is None:
        errors["name"] = "A programme needs a name."
    elif len(name) > MAX_NAME:
        errors["name"] = f"The name is too long: at most {MAX_NAME} characters."
    if errors:
        raise FieldErrors(errors)
    return {
        "name": name,
        "aliases": _listing(values.get("aliases")),
        "sro": _line(values.get("sro")),
        "focus": _text(values.get("focus")),
        "impact": _text(values.get("impact")),
    }


def clean_scheme(values: Mapping[str, object], unit: str = "000s") -> dict:
    """The scheme columns from a form's text (money in `unit`, £000s unless told), or FieldErrors naming every
    field that is wrong.

    The plan may be TBC or NA (blank means TBC: not provided is never zero) but never negative; recurrent and
    non-recurrent are figures or blank, and when both are given they must add up to the plan.
    """
    errors: dict[str, str] = {}
    out: dict[str, object] = {}

    def field(name: str, fn):
        try:
            return fn()
        except ValidationError as exc:
            errors[name] = exc.message
            return None

    ref = _line(values.get("ref"))
    if ref is None:
        errors["ref"] = "A scheme needs a ref, e.g. TH-ADU-05."
    elif len(ref) > MAX_REF:
        errors["ref"] = f"The ref is too long: at most {MAX_REF} characters."
    out["ref"] = ref
    title = _line(values.get("title"))
    if title is None:
        errors["title"] = "A scheme needs a title."
    out["title"] = title
    programme = _line(values.get("programme"))
    if not programme:
        errors["programme"] = "Choose the programme this scheme belongs to."
    out["programme_id"] = programme or None

    year_text = _line(values.get("year"))
    if year_text is None:
        errors["year"] = "Give the financial year of the plan, e.g. 2017/18."
        fy = None
    else:
        fy = field("year", lambda: parse_fy(year_text))
    out["fy"] = fy

    plan = field("plan", lambda: _amount(values.get("plan"), "The plan", allow_status=True, unit=unit))
    if plan is not None:
        out["plan_pence"], status = plan
        out["value_status"] = status.value
    recurrent = field("recurrent", lambda: _amount(values.get("recurrent"), "Recurrent", allow_status=False,
                                                             unit=unit))
    non_recurrent = field("non_recurrent",
                          lambda: _amount(values.get("non_recurrent"), "Non-recurrent", allow_status=False,
                                                  unit=unit))
    out["recurrent_pence"] = recurrent[0] if recurrent else None
    out["non_recurrent_pence"] = non_recurrent[0] if non_recurrent else None
    if (plan and plan[0] is not None and out["recurrent_pence"] is not None
            and out["non_recurrent_pence"] is not None
            and out["recurrent_pence"] + out["non_recurrent_pence"] != plan[0]):
        split = out["recurrent_pence"] + out["non_recurrent_pence"]
        errors["non_recurrent"] = (f"Recurrent and non-recurrent add up to {money_text(split, unit=unit)}, not the "
                                   f"plan {money_text(plan[0], unit=unit)}.")

    start_text = _line(values.get("start_month"))
    start = field("start_month", lambda: parse_month(start_text)) if start_text else None
    if start and fy is not None and start > fy_months(fy)[-1]:
        errors["start_month"] = f"{month_label(start)} is after {fy_label(fy)} ends: the scheme would save nothing."
    out["start_month"] = start

    stage = field("stage", lambda: calc.Stage.parse(_line(values.get("stage"))))
    out["stage"] = stage.value if stage else None
    confidence = field("confidence", lambda: calc.Confidence.parse(_line(values.get("confidence"))))
    out["confidence"] = confidence.value if confidence else None
    out["components"] = _listing(values.get("components"))
    for name in ("impact", "commentary"):
        out[name] = _text(values.get(name))
    for name in ("lead", "sro"):
        out[name] = _line(values.get(name))
    if errors:
        raise FieldErrors(errors)
    return out


def programme_form_values(row) -> dict[str, str]:
    """A programme row as the text its form shows."""
    return {
        "name": row["name"] or "",
        "aliases": "; ".join(a for a in (row["aliases"] or "").split(";") if a.strip()),
        "sro": row["sro"] or "",
        "focus": row["focus"] or "",
        "impact": row["impact"] or "",
    }


def scheme_form_values(row, unit: str = "000s") -> dict[str, str]:
    """A scheme row as the text its form shows (money as text in `unit`, £000s unless told, that parses back
    exactly)."""
    return {
        "ref": row["ref"] or "",
        "programme": row["programme_name"] if "programme_name" in row.keys() else row["programme_id"],
        "title": row["title"] or "",
        "components": "; ".join(c for c in (row["components"] or "").split(";") if c.strip()),
        "impact": row["impact"] or "",
        "lead": row["lead"] or "",
        "sro": row["sro"] or "",
        "stage": row["stage"] or "",
        "year": fy_label(row["fy"]) if row["fy"] is not None else "",
        "plan": money_text(row["plan_pence"], row["value_status"], unit),
        "recurrent": money_text(row["recurrent_pence"], unit=unit),
        "non_recurrent": money_text(row["non_recurrent_pence"], unit=unit),
        "start_month": row["start_month"] or "",
        "confidence": row["confidence"] or "",
        "commentary": row["commentary"] or "",
    }


# ---- programmes -------------------------------------------------------------------------------------------

def _programme_name_free(w: Writer, name: str, except_id: str | None = None) -> None:
    row = w.conn.execute("SELECT id FROM programmes WHERE lower(name) = lower(:n)", {"n": name}).fetchone()
    if row is not None and row[0] != except_id:
        raise FieldErrors({"name": f"There is already a programme called {quoted(name)}."})


def create_programme(board: Board, values: Mapping[str, object]) -> str:
    """Add a programme from form text; returns its id."""
    clean = clean_programme(values)
    with writing(board) as w:
        _programme_name_free(w, clean["name"])
        return w.insert("programmes", clean, entity="programme", ref=clean["name"])


def update_programme(board: Board, programme_id: str, version: int, values: Mapping[str, object]) -> int:
    """Change a programme if it is still at `version` (else Conflict naming who and when); the new version."""
    clean = clean_programme(values)
    with writing(board) as w:
        _programme_name_free(w, clean["name"], programme_id)
        return w.update("programmes", programme_id, version, clean, entity="programme", ref=clean["name"])


def delete_programme(board: Board, programme_id: str, version: int) -> None:
    """Delete an empty programme (its snapshot stays in the audit trail).

    A programme that still has schemes (in any year) or milestones is refused with a sentence saying so.
    """
    with writing(board) as w:
        row = w.load("programmes", programme_id)
        if row["version"] != version:
            raise Conflict(who=row["updated_by"] or "someone", when=row["updated_at"] or "an unknown time")
        schemes = w.conn.execute("SELECT count(*) FROM schemes WHERE programme_id = :p", {"p": programme_id})
        n_schemes = schemes.fetchone()[0]
        milestones = w.conn.execute("SELECT count(*) FROM milestones WHERE programme_id = :p", {"p": programme_id})
        n_milestones = milestones.fetchone()[0]
        if n_schemes or n_milestones:
            held = " and ".join(
                f"{n} {word}{'' if n == 1 else 's'}"
                for n, word in ((n_schemes, "scheme"), (n_milestones, "milestone")) if n
            )
            raise ValidationError(
                f"{row['name']} still has {held}: move or delete them first. Nothing was deleted."
            )
        w.delete("programmes", programme_id, version, entity="programme", ref=row["name"])


# ---- schemes ----------------------------------------------------------------------------------------------

def _scheme_checks(w: Writer, clean: dict, scheme_id: str | None) -> None:
    errors: dict[str, str] = {}
    row = w.conn.execute("SELECT id FROM schemes WHERE lower(ref) = lower(:r)", {"r": clean["ref"]}).fetchone()
    if row is not None and row[0] != scheme_id:
        errors["ref"] = f"There is already a scheme {quoted(clean['ref'])}."
    found = w.conn.execute("SELECT id FROM programmes WHERE id = :p", {"p": clean["programme_id"]}).fetchone()
    if found is None:
        # Forms give the name people typed (or an alias from a paper); the store resolves it.
        named = lookups.programme_id(w.board, clean["programme_id"])
        if named is None:
            names = ", ".join(r[0] for r in w.conn.execute("SELECT name FROM programmes ORDER BY name"))
            errors["programme"] = f"There is no programme {quoted(clean['programme_id'])}: use one of {names}."[:300]
        else:
            clean["programme_id"] = named
    if scheme_id is not None:
        months = [r[0] for r in w.conn.execute(
            "SELECT month FROM scheme_periods WHERE scheme_id = :s AND (plan_pence IS NOT NULL OR "
            "actual_pence IS NOT NULL OR fot_pence IS NOT NULL) ORDER BY month", {"s": scheme_id})]
        if months:
            outside = [m for m in months if m not in fy_months(clean["fy"])]
            if outside:
                errors["year"] = (f"It has monthly figures from {month_label(months[0])}: the year cannot change "
                                  "while they are there.")
            start = clean["start_month"]
            if start and months[0] < start:
                errors["start_month"] = (f"It has figures for {month_label(months[0])}, before "
                                         f"{month_label(start)}: clear them first or choose an earlier start.")
    if errors:
        raise FieldErrors(errors)


def create_scheme(board: Board, values: Mapping[str, object], unit: str = "000s") -> str:
    """Add a scheme from form text (money in `unit`, £000s unless told); returns its id."""
    clean = clean_scheme(values, unit)
    with writing(board) as w:
        _scheme_checks(w, clean, None)
        return w.insert("schemes", clean, entity="scheme", ref=clean["ref"])


def update_scheme(board: Board, scheme_id: str, version: int, values: Mapping[str, object],
                  unit: str = "000s") -> int:
    """Change a scheme if it is still at `version` (else Conflict naming who and when); the new version.
    Money is read in `unit` (£000s unless told)."""
    clean = clean_scheme(values, unit)
    with writing(board) as w:
        current = w.load("schemes", scheme_id)
        if current["version"] != version:
            raise Conflict(who=current["updated_by"] or "someone", when=current["updated_at"] or "an unknown time")
        _scheme_checks(w, clean, scheme_id)
        return w.update("schemes", scheme_id, version, clean, entity="scheme", ref=clean["ref"])


def delete_scheme(board: Board, scheme_id: str, version: int) -> None:
    """Delete a scheme and its monthly figures; every row's snapshot stays in the audit trail."""
    with writing(board) as w:
        row = w.load("schemes", scheme_id)
        if row["version"] != version:
            raise Conflict(who=row["updated_by"] or "someone", when=row["updated_at"] or "an unknown time")
        periods = w.conn.execute(
            "SELECT id, month FROM scheme_periods WHERE scheme_id = :s ORDER BY month", {"s": scheme_id}
        ).fetchall()
        for period in periods:
            w.delete("scheme_periods", period["id"], None, entity="scheme_period",
                     ref=f"{row['ref']} {period['month']}")
        w.delete("schemes", scheme_id, version, entity="scheme", ref=row["ref"])


# ---- one month's figure -----------------------------------------------------------------------------------

def check_month_value(scheme, month: str, field: str, value: int | None) -> None:
    """Raise ValidationError when `value` cannot be the scheme's `field` ("plan", "actual", "fot") for `month`.

    A figure must fall in the scheme's financial year, not before its start month, and the scheme must have a
    quantified value; plans and forecasts cannot be negative (an actual may be: a saving clawed back).
    Clearing a figure (None) is always allowed inside the year.
    """
    if field not in MONTH_FIELDS:
        raise ValueError(f"not a monthly field: {field!r}")
    if month not in fy_months(scheme["fy"]):
        raise ValidationError(f"{month_label(month)} is not in {fy_label(scheme['fy'])}, the scheme's year.",
                              field=field)
    if value is None:
        return
    what = MONTH_FIELD_NAMES[field]
    status = ValueStatus(scheme["value_status"])
    if status is not ValueStatus.QUANTIFIED:
        raise ValidationError(f"The scheme's value is {status.value}: enter its full-year plan (e) before "
                              "monthly figures.", field=field)
    start = scheme["start_month"]
    if start and month < start:
        raise ValidationError(f"{month_label(month)} is before the scheme starts ({month_label(start)}): no "
                              f"{what} can be entered for it.", field=field)
    if value < 0 and field != "actual":
        raise ValidationError(f"A {what} cannot be negative.", field=field)


def set_month(
    board: Board, scheme_id: str, month: str, field: str, value: int | None, version: int | None
) -> int:
    """Set one monthly figure (pence, or None to clear it) and refresh the scheme's roll-up, in one transaction.

    `version` is the month's row version when it was read, or None if it had no row then; if the row has changed
    since (or someone created it), Conflict names who and when and nothing is written. Returns the row's new
    version.
    """
    with writing(board) as w:
        scheme = w.load("schemes", scheme_id)
        check_month_value(scheme, month, field, value)
        row = w.conn.execute(
            "SELECT * FROM scheme_periods WHERE scheme_id = :s AND month = :m", {"s": scheme_id, "m": month}
        ).fetchone()
        ref = f"{scheme['ref']} {month}"
        column = MONTH_FIELDS[field]
        if row is None:
            if version is not None:
                raise Conflict(who="someone", when="since you loaded it (the month's figures were removed)")
            if value is None:
                return 0
            w.insert("scheme_periods", {"scheme_id": scheme_id, "month": month, column: value},
                     entity="scheme_period", ref=ref)
            new_version = 1
        else:
            if version is None or row["version"] != version:
                raise Conflict(who=row["updated_by"] or "someone", when=row["updated_at"] or "an unknown time")
            new_version = w.update("scheme_periods", row["id"], version, {column: value},
                                   entity="scheme_period", ref=ref)
        refresh_scheme_rollup(w, scheme_id)
        return new_version


def parse_month_value(text: str, field: str, unit: str = "000s") -> int | None:
    """What a grid cell's text means, read in `unit` (£000s unless told; a k/m suffix overrides): pence, or None
    for blank/TBC ("not returned yet"); NA is refused."""
    parsed = parse_money(text, unit)
    if isinstance(parsed, ValueStatus):
        if parsed is ValueStatus.NA:
            raise ParseError(f"A month's {MONTH_FIELD_NAMES[field]} cannot be NA: leave it blank (or TBC) when "
                             "it is not known yet.", value=text)
        return None
    return parsed
