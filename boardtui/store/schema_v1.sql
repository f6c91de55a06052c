-- Schema 1 of a boardtui board. Never edit this file once shipped: add a new migration instead.
-- Portable rules (DESIGN.md): every table has a non-null primary key; rows people create have text keys made
-- in Python (UUIDv7); money is integer pence; dates are ISO text; no engine-computed defaults.
-- No ON DELETE CASCADE: children are deleted explicitly by the store, each with its audit row, and a table
-- rebuild can never silently empty a child table (RELIABILITY G3).

CREATE TABLE meta (
    key TEXT NOT NULL PRIMARY KEY,
    value TEXT
);

CREATE TABLE organisations (
    id TEXT NOT NULL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    type TEXT,
    parent_id TEXT REFERENCES organisations(id),
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT,
    updated_by TEXT
);

CREATE TABLE programmes (
    id TEXT NOT NULL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    aliases TEXT,
    org_id TEXT REFERENCES organisations(id),
    sro TEXT,
    focus TEXT,
    impact TEXT,
    stated_total_pence INTEGER,
    stated_total_status TEXT,
    rag_override TEXT,
    rag_commentary TEXT,
    source TEXT,
    illustrative INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT,
    updated_by TEXT
);

CREATE TABLE targets (
    id TEXT NOT NULL PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisations(id),
    fy INTEGER NOT NULL,
    requirement_pence INTEGER,
    stated_identified_pence INTEGER,
    stated_gap_pence INTEGER,
    funding_available_pence INTEGER,
    funding_need_pence INTEGER,
    note TEXT,
    source TEXT,
    illustrative INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT,
    updated_by TEXT,
    UNIQUE (org_id, fy)
);

CREATE TABLE schemes (
    id TEXT NOT NULL PRIMARY KEY,
    ref TEXT NOT NULL UNIQUE,
    programme_id TEXT NOT NULL REFERENCES programmes(id),
    title TEXT NOT NULL,
    components TEXT,
    impact TEXT,
    lead TEXT,
    sro TEXT,
    stage TEXT,
    fy INTEGER NOT NULL,
    value_status TEXT NOT NULL DEFAULT 'quantified',
    plan_pence INTEGER,
    recurrent_pence INTEGER,
    non_recurrent_pence INTEGER,
    start_month TEXT,
    confidence TEXT,
    commentary TEXT,
    rag_override TEXT,
    rag_commentary TEXT,
    -- Roll-ups of scheme_periods, kept by the store in the same transaction as every period write, so the
    -- programmes screen is one GROUP BY over schemes rather than a scan of every monthly figure.
    ytd_plan_pence INTEGER,
    ytd_actual_pence INTEGER,
    fot_pence INTEGER,
    latest_month TEXT,
    source TEXT,
    illustrative INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT,
    updated_by TEXT
);
CREATE INDEX schemes_programme ON schemes (programme_id, fy, ref);
CREATE INDEX schemes_fy ON schemes (fy, ref);

CREATE TABLE scheme_periods (
    id TEXT NOT NULL PRIMARY KEY,
    scheme_id TEXT NOT NULL REFERENCES schemes(id),
    month TEXT NOT NULL,
    plan_pence INTEGER,
    actual_pence INTEGER,
    fot_pence INTEGER,
    commentary TEXT,
    illustrative INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT,
    updated_by TEXT,
    UNIQUE (scheme_id, month)
);

CREATE TABLE standards (
    id TEXT NOT NULL PRIMARY KEY,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    must_do INTEGER,
    threshold REAL NOT NULL,
    comparator TEXT NOT NULL,
    unit TEXT NOT NULL DEFAULT '%',
    assessment_period TEXT NOT NULL DEFAULT 'month',
    planning_round TEXT,
    valid_from TEXT NOT NULL DEFAULT '',
    valid_to TEXT NOT NULL DEFAULT '',
    rag_override TEXT,
    rag_commentary TEXT,
    source TEXT,
    illustrative INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT,
    updated_by TEXT,
    UNIQUE (code, valid_from)
);

-- Keyed by standard code, not id: when a standard is redefined between planning rounds, the definition in
-- force for each period is the one used.
CREATE TABLE standard_periods (
    id TEXT NOT NULL PRIMARY KEY,
    standard_code TEXT NOT NULL,
    period TEXT NOT NULL,
    numerator INTEGER,
    denominator INTEGER,
    actual REAL,
    trajectory REAL,
    commentary TEXT,
    illustrative INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT,
    updated_by TEXT,
    UNIQUE (standard_code, period)
);

CREATE TABLE milestones (
    id TEXT NOT NULL PRIMARY KEY,
    ref TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    programme_id TEXT REFERENCES programmes(id),
    plan_name TEXT,
    owner TEXT,
    baseline TEXT NOT NULL,
    forecast TEXT,
    actual TEXT,
    external INTEGER NOT NULL DEFAULT 0,
    status_note TEXT,
    rag_override TEXT,
    rag_commentary TEXT,
    source TEXT,
    illustrative INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT,
    updated_by TEXT
);
CREATE INDEX milestones_baseline ON milestones (baseline, ref);

CREATE TABLE milestone_deps (
    id TEXT NOT NULL PRIMARY KEY,
    milestone_id TEXT NOT NULL REFERENCES milestones(id),
    depends_on_id TEXT NOT NULL REFERENCES milestones(id),
    UNIQUE (milestone_id, depends_on_id)
);

CREATE TABLE bodies (
    id TEXT NOT NULL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    org_id TEXT REFERENCES organisations(id),
    exclusion_basis TEXT,
    quorum_min INTEGER,
    quorum_fraction REAL,
    quorum_roles TEXT,
    cadence TEXT,
    source TEXT,
    illustrative INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT,
    updated_by TEXT
);

CREATE TABLE members (
    id TEXT NOT NULL PRIMARY KEY,
    body_id TEXT NOT NULL REFERENCES bodies(id),
    name TEXT NOT NULL,
    role TEXT,
    voting INTEGER NOT NULL DEFAULT 1,
    from_date TEXT,
    to_date TEXT,
    illustrative INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT,
    updated_by TEXT,
    UNIQUE (body_id, name)
);

CREATE TABLE interests (
    id TEXT NOT NULL PRIMARY KEY,
    member_id TEXT NOT NULL REFERENCES members(id),
    type TEXT,
    description TEXT NOT NULL,
    declared_on TEXT,
    reviewed_on TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT,
    updated_by TEXT
);

CREATE TABLE meetings (
    id TEXT NOT NULL PRIMARY KEY,
    body_id TEXT NOT NULL REFERENCES bodies(id),
    date TEXT NOT NULL,
    start_time TEXT,
    venue TEXT,
    status TEXT NOT NULL DEFAULT 'planned',
    -- The chair's runner: which item is current and since when its clock has been running (NULL = paused),
    -- so a restart mid-meeting resumes where it was.
    runner_item_id TEXT,
    runner_running_since TEXT,
    started_at TEXT,
    ended_at TEXT,
    source TEXT,
    illustrative INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT,
    updated_by TEXT,
    UNIQUE (body_id, date)
);
CREATE INDEX meetings_date ON meetings (date);

CREATE TABLE agenda_items (
    id TEXT NOT NULL PRIMARY KEY,
    meeting_id TEXT NOT NULL REFERENCES meetings(id),
    position INTEGER NOT NULL,
    number TEXT NOT NULL,
    title TEXT NOT NULL,
    part INTEGER NOT NULL DEFAULT 1,
    purpose TEXT,
    sponsor TEXT,
    presenter TEXT,
    author TEXT,
    minutes INTEGER,
    recommendations TEXT,
    kind TEXT,
    elapsed_seconds INTEGER NOT NULL DEFAULT 0,
    source TEXT,
    illustrative INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT,
    updated_by TEXT
);
CREATE INDEX agenda_items_meeting ON agenda_items (meeting_id, position);

CREATE TABLE item_links (
    id TEXT NOT NULL PRIMARY KEY,
    item_id TEXT NOT NULL REFERENCES agenda_items(id),
    entity TEXT NOT NULL,
    ref TEXT NOT NULL,
    UNIQUE (item_id, entity, ref)
);

CREATE TABLE attendance (
    id TEXT NOT NULL PRIMARY KEY,
    meeting_id TEXT NOT NULL REFERENCES meetings(id),
    member_id TEXT REFERENCES members(id),
    name TEXT NOT NULL,
    status TEXT NOT NULL,
    substitute_for TEXT,
    illustrative INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT,
    updated_by TEXT,
    UNIQUE (meeting_id, name)
);

CREATE TABLE declarations (
    id TEXT NOT NULL PRIMARY KEY,
    meeting_id TEXT NOT NULL REFERENCES meetings(id),
    item_id TEXT REFERENCES agenda_items(id),
    member_id TEXT REFERENCES members(id),
    member_name TEXT NOT NULL,
    interest TEXT,
    handling TEXT,
    illustrative INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT,
    updated_by TEXT
);
CREATE INDEX declarations_meeting ON declarations (meeting_id, item_id);

CREATE TABLE decisions (
    id TEXT NOT NULL PRIMARY KEY,
    ref TEXT,
    meeting_id TEXT NOT NULL REFERENCES meetings(id),
    item_id TEXT REFERENCES agenda_items(id),
    resolution TEXT NOT NULL,
    outcome TEXT,
    mover TEXT,
    seconder TEXT,
    conflicts_handling TEXT,
    illustrative INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT,
    updated_at TEXT,
    updated_by TEXT
);
CREATE INDEX decisions_meeting ON decisions (meeting_id, item_id);

CREATE TABLE minute_notes (
    id TEXT NOT NULL PRIMARY KEY,
    meeting_id TEXT NOT NULL REFERENCES meetings(id),
    item_id TEXT REFERENCES agenda_items(id),
    text TEXT NOT NULL,
    illustrative INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT,
    updated_at TEXT,
    updated_by TEXT
);
CREATE INDEX minute_notes_meeting ON minute_notes (meeting_id, item_id);

CREATE TABLE actions (
    id TEXT NOT NULL PRIMARY KEY,
    ref TEXT NOT NULL UNIQUE,
    body_id TEXT REFERENCES bodies(id),
    meeting_id TEXT REFERENCES meetings(id),
    item_id TEXT REFERENCES agenda_items(id),
    text TEXT NOT NULL,
    owner TEXT NOT NULL,
    due TEXT NOT NULL,
    original_due TEXT,
    status TEXT NOT NULL DEFAULT 'open',
    latest_update TEXT,
    illustrative INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT,
    updated_at TEXT,
    updated_by TEXT
);
CREATE INDEX actions_due ON actions (due, ref);
CREATE INDEX actions_status_due ON actions (status, due, ref);
CREATE INDEX actions_owner ON actions (owner, due);
CREATE INDEX actions_body ON actions (body_id, status, due);
CREATE INDEX actions_meeting ON actions (meeting_id, item_id);

CREATE TABLE action_updates (
    id TEXT NOT NULL PRIMARY KEY,
    action_id TEXT NOT NULL REFERENCES actions(id),
    at TEXT NOT NULL,
    who TEXT NOT NULL,
    text TEXT,
    old_due TEXT,
    new_due TEXT
);
CREATE INDEX action_updates_action ON action_updates (action_id, at);

-- The audit trail: append-only (triggers below refuse UPDATE and DELETE). One row per changed field.
-- `confidential` marks changes to Part 2 business, which public output never shows.
CREATE TABLE audit (
    id TEXT NOT NULL PRIMARY KEY,
    at TEXT NOT NULL,
    who TEXT NOT NULL,
    op TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT,
    ref TEXT,
    field TEXT,
    old TEXT,
    new TEXT,
    reason TEXT,
    confidential INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX audit_entity ON audit (entity, entity_id, at);
CREATE INDEX audit_at ON audit (at);
