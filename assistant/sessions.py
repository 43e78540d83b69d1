"""SQLite session store for the guided dialogue (one row per session + one row per turn).

Each call opens its own short-lived connection, so the store is safe across threads and
processes; WAL lets readers proceed while a writer commits. Lost updates on the same session
are prevented by optimistic concurrency: ``save_turn`` only succeeds if the session's version
is still the one that was read, otherwise it raises ``SessionConflict`` and the caller retries.
"""

from __future__ import annotations

import json
import re
import sqlite3
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from knowledge_base.errors import InputError
from knowledge_base.settings import get_settings

SESSION_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
SESSIONS_FILE = "sessions.sqlite3"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 0,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS turns (
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    message TEXT NOT NULL,
    result TEXT NOT NULL,
    created_at REAL NOT NULL,
    PRIMARY KEY (session_id, idx)
);
"""


class SessionConflict(Exception):
    """The session changed between read and write (another turn won); reload and retry."""


@dataclass(frozen=True)
class SessionRecord:
    id: str
    state: dict[str, Any]
    version: int
    created_at: float
    updated_at: float


@dataclass(frozen=True)
class TurnRecord:
    idx: int
    message: str
    result: dict[str, Any]
    created_at: float


def validate_session_id(session_id: str) -> str:
    if not isinstance(session_id, str) or not SESSION_ID_PATTERN.match(session_id):
        raise InputError(
            "会话 ID 只能包含字母、数字、点、下划线和连字符（最长 64 位）",
            "session id must be 1-64 characters of letters, digits, '.', '_' or '-'",
        )
    return session_id


def new_session_id() -> str:
    return uuid.uuid4().hex


class SessionStore:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path if path is not None else get_settings().ensure_home() / SESSIONS_FILE
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as conn:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.executescript(_SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        conn = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
        try:
            conn.execute("PRAGMA busy_timeout=30000")
            conn.execute("PRAGMA foreign_keys=ON")
            yield conn
        finally:
            conn.close()

    def get(self, session_id: str) -> SessionRecord | None:
        validate_session_id(session_id)
        with self._connect() as conn:
            row = conn.execute(
                "SELECT id, state, version, created_at, updated_at FROM sessions WHERE id = ?", (session_id,)
            ).fetchone()
        if row is None:
            return None
        return SessionRecord(row[0], json.loads(row[1]), row[2], row[3], row[4])

    def get_or_create(self, session_id: str | None) -> SessionRecord:
        session_id = validate_session_id(session_id) if session_id is not None else new_session_id()
        now = time.time()
        with self._connect() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO sessions (id, state, version, created_at, updated_at) "
                "VALUES (?, ?, 0, ?, ?)",
                (session_id, "{}", now, now),
            )
        record = self.get(session_id)
        assert record is not None
        return record

    def save_turn(
        self,
        session_id: str,
        expected_version: int,
        state: dict[str, Any],
        message: str,
        result: dict[str, Any],
    ) -> int:
        """Store the new state and the turn atomically; returns the new version."""
        now = time.time()
        with self._connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                updated = conn.execute(
                    "UPDATE sessions SET state = ?, version = version + 1, updated_at = ? "
                    "WHERE id = ? AND version = ?",
                    (json.dumps(state, ensure_ascii=False), now, session_id, expected_version),
                ).rowcount
                if updated != 1:
                    raise SessionConflict(session_id)
                next_idx = conn.execute(
                    "SELECT COALESCE(MAX(idx), -1) + 1 FROM turns WHERE session_id = ?", (session_id,)
                ).fetchone()[0]
                conn.execute(
                    "INSERT INTO turns (session_id, idx, message, result, created_at) VALUES (?, ?, ?, ?, ?)",
                    (session_id, next_idx, message, json.dumps(result, ensure_ascii=False), now),
                )
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        return expected_version + 1

    def turns(self, session_id: str) -> list[TurnRecord]:
        validate_session_id(session_id)
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT idx, message, result, created_at FROM turns WHERE session_id = ? ORDER BY idx",
                (session_id,),
            ).fetchall()
        return [TurnRecord(row[0], row[1], json.loads(row[2]), row[3]) for row in rows]

    def delete(self, session_id: str) -> bool:
        validate_session_id(session_id)
        with self._connect() as conn:
            return conn.execute("DELETE FROM sessions WHERE id = ?", (session_id,)).rowcount == 1

    def count(self) -> int:
        with self._connect() as conn:
            return int(conn.execute("SELECT COUNT(*) FROM sessions").fetchone()[0])


_stores: dict[Path, SessionStore] = {}


def get_session_store() -> SessionStore:
    """One store object per GREENMFG_HOME path (the home can change between tests)."""
    path = get_settings().home / SESSIONS_FILE
    store = _stores.get(path)
    if store is None:
        store = _stores[path] = SessionStore(path)
    return store
