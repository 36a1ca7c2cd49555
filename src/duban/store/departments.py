"""The ledger's departments: created once from a catalogue with the schema, listed, given
an e-mail address for reminders."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ..assign import Catalogue, load_catalogue
from ..errors import AlreadyExists, LedgerError, NotFound, ValidationFailed
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


# -- managing the list: an office's own directory, and changes one by one, each audited -------

MAX_NAME = 100
_SPLIT = re.compile(r"[、，,;；/\s]+")


@dataclass(frozen=True)
class DirectoryRow:
    """One unit of an office's own directory (名录): as typed, checked by ``apply_directory``."""

    name: str
    short: tuple[str, ...] = ()
    duties: str = ""
    parent: str = ""
    row: int = 0  # the sheet's row, for messages (0 when typed on the command line)


@dataclass(frozen=True)
class DirectoryChange:
    kind: str  # add | update | deactivate
    name: str
    before: dict[str, str] = field(default_factory=dict)
    after: dict[str, str] = field(default_factory=dict)

    @property
    def kind_zh(self) -> str:
        return {"add": "新增", "update": "修改", "deactivate": "停用"}[self.kind]


def split_short(text: str) -> tuple[str, ...]:
    """简称 as typed: several forms separated by 、 , ; or spaces."""
    return tuple(dict.fromkeys(s for s in _SPLIT.split(text.strip()) if s))


def _fields(dept: m.Department, parent: str) -> dict[str, str]:
    return {"简称": "、".join(x for x in [dept.short_name, *dept.aliases.splitlines()] if x),
            "职责": dept.duties, "上级单位": parent, "状态": "在用" if dept.active else "停用"}


def apply_directory(db: Database, rows: list[DirectoryRow], source: str, actor: str,
                    dry_run: bool = False, deactivate_missing: bool = False) -> list[DirectoryChange]:
    """Bring the ledger's departments in line with an office's directory, all or nothing: new
    names added, short forms, duties and parents of known ones updated (a department is known
    by its name or any short form), and with ``deactivate_missing`` the active ones the list
    leaves out deactivated (refused while they still hold open tasks). Every row is checked
    first; ValidationFailed lists every problem by row and column, and nothing is written.
    With ``dry_run`` the changes are returned and nothing is written either."""
    with db.session(readonly=dry_run) as session:
        existing = list(session.scalars(select(m.Department).order_by(m.Department.id)))
        errors: list[tuple[int, str, str]] = []
        by_alias: dict[str, m.Department] = {}
        for dept in existing:
            for alias in (dept.name, dept.short_name, *dept.aliases.splitlines()):
                if alias:
                    by_alias.setdefault(_key(alias), dept)
        seen: dict[str, int] = {}
        listed: dict[str, DirectoryRow] = {}
        for row in rows:
            name = row.name.strip()
            if not name:
                errors.append((row.row, "单位名称", "单位名称为空 (no name)"))
                continue
            if len(name) > MAX_NAME:
                errors.append((row.row, "单位名称", f"单位名称超过 {MAX_NAME} 字 (too long)"))
                continue
            for alias in (name, *row.short):
                other = seen.get(_key(alias))
                if other is not None:
                    errors.append((row.row, "单位名称" if alias == name else "简称",
                                   f"“{alias}”与第{other}行重复 (repeated)"))
            for alias in (name, *row.short):
                seen.setdefault(_key(alias), row.row)
            listed[_key(name)] = row
        for row in rows:
            name = row.name.strip()
            if not name:
                continue
            own = by_alias.get(_key(name))
            for alias in row.short:
                holder = by_alias.get(_key(alias))
                if holder is not None and holder is not own and _key(holder.name) not in listed:
                    errors.append((row.row, "简称", f"简称“{alias}”已是“{holder.name}”的名称或简称 "
                                                  f"(short form taken)"))
            if row.parent and _key(row.parent) not in listed and _key(row.parent) not in by_alias \
                    and _key(row.parent) not in seen:
                errors.append((row.row, "上级单位", f"上级单位“{row.parent}”不在名录或台账中 "
                                                    f"(unknown parent)"))
            if row.parent and _key(row.parent) in (_key(name), *map(_key, row.short)):
                errors.append((row.row, "上级单位", "上级单位不能是本单位 (its own parent)"))
        errors += _cycles(rows)
        if errors:
            raise ValidationFailed(source, sorted(errors, key=lambda e: e[0]))
        changes: list[DirectoryChange] = []
        made: dict[str, m.Department] = {}
        for row in rows:
            name = row.name.strip()
            found = by_alias.get(_key(name))
            if found is None:
                dept = m.Department(name=name, short_name="", aliases="", function="",
                                    duties="", active=True)
                session.add(dept)
                before: dict[str, str] = {}
                kind = "add"
            else:
                dept = found
                before = _fields(dept, _parent_name(session, dept))
                kind = "update"
            short = row.short or ((dept.short_name, *dept.aliases.splitlines())
                                  if kind == "update" else ())
            if kind == "update" and dept.name != name:
                short = tuple(dict.fromkeys((*short, dept.name)))  # known by its old name still
                dept.name = name
            dept.short_name = short[0] if short else ""
            dept.aliases = "\n".join(s for s in short[1:] if s)
            if row.duties or kind == "add":
                dept.duties = row.duties.strip()
            dept.active = True
            made[_key(name)] = dept
            changes.append(DirectoryChange(kind, name, before))
        session.flush()
        for row in rows:
            if not row.name.strip():
                continue
            dept = made[_key(row.name.strip())]
            if row.parent:
                parent = made.get(_key(row.parent)) or by_alias.get(_key(row.parent))
                dept.parent_id = parent.id if parent is not None else None
        session.flush()
        final: list[DirectoryChange] = []
        for change in changes:
            dept = made[_key(change.name)]
            after = _fields(dept, _parent_name(session, dept))
            if change.kind == "update" and after == change.before:
                continue
            final.append(DirectoryChange(change.kind, change.name, change.before, after))
        if deactivate_missing:
            for dept in existing:
                if dept.active and all(dept is not kept for kept in made.values()):
                    _refuse_if_open(session, dept, source)
                    before = _fields(dept, _parent_name(session, dept))
                    dept.active = False
                    final.append(DirectoryChange("deactivate", dept.name, before,
                                                 _fields(dept, _parent_name(session, dept))))
        if dry_run:
            session.rollback()
            return final
        for change in final:
            dept = made.get(_key(change.name)) or next(d for d in existing if d.name == change.name)
            record_change(session, actor, f"department_{change.kind}", "department", dept.id,
                          change.before or None, change.after)
        return final


def _key(name: str) -> str:
    return "".join(name.split())


def _parent_name(session: Session, dept: m.Department) -> str:
    if dept.parent_id is None:
        return ""
    parent = session.get(m.Department, dept.parent_id)
    return parent.name if parent is not None else ""


def _cycles(rows: list[DirectoryRow]) -> list[tuple[int, str, str]]:
    parent_of = {_key(r.name): _key(r.parent) for r in rows if r.name.strip() and r.parent}
    errors: list[tuple[int, str, str]] = []
    for row in rows:
        at, path = _key(row.name), []
        while at in parent_of and at not in path:
            path.append(at)
            at = parent_of[at]
        if at in path and at == _key(row.name):
            errors.append((row.row, "上级单位", "上级单位形成循环：" + " → ".join(path + [at])
                           + " (parents in a cycle)"))
    return errors


def _open_tasks(session: Session, dept: m.Department) -> int:
    return session.scalar(
        select(func.count()).select_from(m.Assignment).join(m.Task)
        .where(m.Assignment.department_id == dept.id, m.Task.state != "closed")) or 0


def _refuse_if_open(session: Session, dept: m.Department, source: str) -> None:
    count = _open_tasks(session, dept)
    if count:
        raise LedgerError(source, f"“{dept.name}”还承担 {count} 项未办结任务，不能停用；请先用 "
                                 f"duban departments merge 并入其他单位 (still holds open tasks)")


def add_department(db: Database, name: str, short: tuple[str, ...], duties: str, parent: str,
                   actor: str) -> None:
    """One new unit (an office's own, a development zone, a 街道 …), checked as a directory
    row is."""
    apply_directory(db, [DirectoryRow(name, short, duties, parent)], name, actor)


def rename_department(db: Database, old: str, new: str, actor: str) -> None:
    """A unit's new name (机构改革): its old name stays one of its short forms, so sheets
    and texts that still say it find it."""
    new = new.strip()
    if not new or len(new) > MAX_NAME:
        raise LedgerError(new or old, "新名称为空或过长 (empty or too long)")
    with db.session() as session:
        dept = department_of(session, old)
        holder = catalogue_of(session).find(new)
        if holder is not None and int(holder.key) != dept.id:
            raise AlreadyExists(new, f"已是“{holder.name}”的名称或简称 (name taken)")
        before = _fields(dept, _parent_name(session, dept)) | {"名称": dept.name}
        aliases = [a for a in dept.aliases.splitlines() if a and _key(a) != _key(new)]
        if _key(dept.name) != _key(new):
            aliases.append(dept.name)
        dept.name = new
        if _key(dept.short_name) == _key(new):
            dept.short_name = ""
        dept.aliases = "\n".join(dict.fromkeys(aliases))
        after = _fields(dept, _parent_name(session, dept)) | {"名称": dept.name}
        record_change(session, actor, "department_rename", "department", dept.id, before, after)


def merge_departments(db: Database, source: str, into: str, actor: str) -> int:
    """Fold unit ``source`` into ``into`` (two bureaus merged): its tasks, progress reports and
    clerk accounts move over, a task both held keeps the lead role, its names become short
    forms of ``into``, and ``source`` is deactivated. Returns the tasks moved."""
    with db.session() as session:
        old, new = department_of(session, source), department_of(session, into)
        if old.id == new.id:
            raise LedgerError(source, "不能并入自身 (the same department)")
        moved = 0
        held = {a.task_id: a for a in session.scalars(
            select(m.Assignment).where(m.Assignment.department_id == new.id))}
        for assignment in session.scalars(select(m.Assignment)
                                          .where(m.Assignment.department_id == old.id)).all():
            mine = held.get(assignment.task_id)
            if mine is None:
                assignment.department_id = new.id
            else:
                if assignment.role == "lead":
                    mine.role = "lead"
                session.delete(assignment)
            moved += 1
        session.execute(update(m.ProgressUpdate).where(m.ProgressUpdate.department_id == old.id)
                        .values(department_id=new.id))
        for link in session.scalars(select(m.UserDepartment)
                                    .where(m.UserDepartment.department_id == old.id)).all():
            if session.get(m.UserDepartment, (link.user_id, new.id)) is None:
                session.add(m.UserDepartment(user_id=link.user_id, department_id=new.id))
            session.delete(link)
        session.execute(update(m.Department).where(m.Department.parent_id == old.id)
                        .values(parent_id=new.id))
        names = [x for x in (old.name, old.short_name, *old.aliases.splitlines()) if x]
        aliases = [*new.aliases.splitlines(), *names]
        old.short_name, old.aliases = "", ""  # its names now find the unit it joined
        old.active = False
        new.aliases = "\n".join(dict.fromkeys(a for a in aliases if a and _key(a) != _key(new.name)
                                             and _key(a) != _key(new.short_name)))
        record_change(session, actor, "department_merge", "department", old.id,
                      {"单位": old.name}, {"并入": new.name, "任务": moved})
        return moved


def set_department_active(db: Database, name: str, active: bool, actor: str) -> None:
    """停用 a unit that holds no open task (else merge it), or 启用 it again."""
    with db.session() as session:
        dept = _any_department(session, name)
        if dept.active == active:
            return
        if not active:
            _refuse_if_open(session, dept, name)
        before = _fields(dept, _parent_name(session, dept))
        dept.active = active
        record_change(session, actor, "department_activate" if active else "department_deactivate",
                      "department", dept.id, before, _fields(dept, _parent_name(session, dept)))


def _any_department(session: Session, name: str) -> m.Department:
    """A department active or not, by name, short name or alias."""
    for dept in session.scalars(select(m.Department)):
        if _key(name) in {_key(a) for a in (dept.name, dept.short_name, *dept.aliases.splitlines()) if a}:
            return dept
    raise NotFound(name, "没有这个部门 (no such department)")


@dataclass(frozen=True)
class DepartmentRecord:
    """A department as the office manages it (active or not)."""

    id: int
    name: str
    short: tuple[str, ...]
    duties: str
    parent: str
    email: str
    active: bool


def directory(db: Database) -> list[DepartmentRecord]:
    """Every department, active or not, with its duties and parent."""
    with db.session(readonly=True) as session:
        return [DepartmentRecord(d.id, d.name, tuple(x for x in [d.short_name, *d.aliases.splitlines()] if x),
                                 d.duties, _parent_name(session, d), d.email, d.active)
                for d in session.scalars(select(m.Department).order_by(m.Department.id))]
