"""The ledger's departments: created once from a catalogue with the schema, listed, given
an e-mail address for reminders."""
from __future__ import annotations

import re

from sqlalchemy import func, select

from ..assign import Catalogue, load_catalogue
from . import _models as m
from ._db import Database, retrying, upgrade
from .history import record_change
from .lookup import catalogue_of, department_of


def init(db: Database, catalogue: Catalogue | None = None, actor: str = "system") -> int:
    """Create or migrate the schema and load the department catalogue once; how many added."""
    upgrade(db.engine)
    return _load(db, catalogue or load_catalogue(), actor)


@retrying
def _load(db: Database, catalogue: Catalogue, actor: str) -> int:
    with db.session() as session:
        if session.scalar(select(func.count()).select_from(m.Department)):
            return 0
        for dept in catalogue:
            session.add(m.Department(name=dept.name, short_name=dept.short[0] if dept.short
                                     else "", aliases="\n".join(dept.short[1:]),
                                     function=dept.function))
        record_change(session, actor, "init", "departments", None,
                      after={"count": len(catalogue)})
        return len(catalogue)


def catalogue(db: Database) -> Catalogue:
    with db.session(readonly=True) as session:
        return catalogue_of(session)


def emails(db: Database) -> dict[str, str]:
    """Each department's address by its short name (or name)."""
    with db.session(readonly=True) as session:
        return {d.short_name or d.name: d.email for d in session.scalars(select(m.Department))}


def set_department_email(db: Database, name: str, email: str, actor: str) -> None:
    if email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        raise ValueError(f"“{email}”不是电子邮件地址 (not an e-mail address)")
    with db.session() as session:
        dept = department_of(session, name)
        before = {"email": dept.email}
        dept.email = email
        record_change(session, actor, "update", "department", dept.id, before, {"email": email})
