"""Accounts and login sessions of the web app: argon2 hashes, hashed session tokens."""
from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, selectinload

from ..errors import AlreadyExists, Forbidden, NotFound
from . import _models as m
from ._db import Database
from .history import record_change

ROLES = ("admin", "supervisor", "clerk", "leader")
ROLE_ZH = {"admin": "管理员", "supervisor": "督查室", "clerk": "部门联络员", "leader": "领导"}
SESSION_HOURS = 12
_HASHER = PasswordHasher()
_USERNAME = re.compile(r"^[A-Za-z0-9_.\-\u4e00-\u9fff]{2,40}$")
# a hash to verify against when the user does not exist, so that timing tells nothing
_DUMMY_HASH = _HASHER.hash(secrets.token_hex(8))


@dataclass(frozen=True)
class Account:
    id: int
    username: str
    display_name: str
    role: str
    departments: tuple[str, ...]  # short names
    department_ids: tuple[int, ...]
    active: bool


@dataclass(frozen=True)
class Login:
    account: Account
    csrf_token: str


def _account(user: m.User) -> Account:
    return Account(user.id, user.username, user.display_name or user.username, user.role,
                   tuple(d.short_name or d.name for d in user.departments),
                   tuple(d.id for d in user.departments), user.active)


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def validate_password(password: str) -> None:
    if len(password) < 10:
        raise ValueError("密码至少 10 位 (password needs 10 characters or more)")


class Accounts:
    def __init__(self, db: Database) -> None:
        self.db = db

    def create(self, username: str, password: str, role: str, departments: list[str],
               actor: str, display_name: str = "") -> Account:
        if not _USERNAME.match(username):
            raise ValueError("用户名 2–40 位，只能含字母、数字、汉字和 _ . -")
        if role not in ROLES:
            raise ValueError(f"未知角色 {role}")
        validate_password(password)
        with self.db.session() as session:
            if session.scalar(select(m.User.id).where(m.User.username == username)):
                raise AlreadyExists(username, "用户名已存在")
            user = m.User(username=username, display_name=display_name or username,
                          password_hash=_HASHER.hash(password), role=role)
            user.departments = self._departments(session, departments)
            if role == "clerk" and not user.departments:
                raise ValueError("部门联络员至少要属于一个部门")
            session.add(user)
            session.flush()
            record_change(session, actor, "create", "user", user.id,
                          after={"username": username, "role": role, "departments": departments})
            return _account(user)

    @staticmethod
    def _departments(session: Session, names: list[str]) -> list[m.Department]:
        out = []
        for name in names:
            dept = session.scalar(select(m.Department).where(
                (m.Department.name == name) | (m.Department.short_name == name)))
            if dept is None:
                raise NotFound(name, "没有这个部门 (no such department)")
            out.append(dept)
        return out

    def update(self, user_id: int, actor: str, *, role: str | None = None,
               departments: list[str] | None = None, active: bool | None = None,
               password: str | None = None) -> Account:
        with self.db.session() as session:
            user = session.get(m.User, user_id, options=[selectinload(m.User.departments)])
            if user is None:
                raise NotFound(f"用户 {user_id}", "没有这个用户")
            before = {"role": user.role, "active": user.active,
                      "departments": [d.short_name for d in user.departments]}
            demoted = role is not None and role != "admin"
            if user.role == "admin" and user.active and (demoted or active is False):
                self._keep_an_administrator(session, user)
            if role is not None:
                if role not in ROLES:
                    raise ValueError(f"未知角色 {role}")
                user.role = role
            if departments is not None:
                user.departments = self._departments(session, departments)
            if active is not None:
                user.active = active
            if password:
                validate_password(password)
                user.password_hash = _HASHER.hash(password)
            if user.role == "clerk" and not user.departments:
                raise ValueError("部门联络员至少要属于一个部门")
            if not user.active or password:
                session.execute(delete(m.WebSession).where(m.WebSession.user_id == user.id))
            record_change(session, actor, "update", "user", user.id, before, {
                "role": user.role, "active": user.active,
                "departments": [d.short_name for d in user.departments],
                "password_changed": bool(password)})
            return _account(user)

    @staticmethod
    def _keep_an_administrator(session, user: m.User) -> None:  # type: ignore[no-untyped-def]
        """The last active administrator can be neither demoted nor deactivated: nobody
        could manage the accounts any more. The other administrators' rows are locked
        (PostgreSQL; SQLite writers are serialised) so two cannot demote each other at once."""
        others = session.scalars(select(m.User.id).where(
            m.User.role == "admin", m.User.active.is_(True), m.User.id != user.id)
            .with_for_update()).all()
        if not others:
            raise Forbidden(f"用户 {user.username}", "这是最后一个启用的管理员，不能停用或改为其他角色；"
                            "请先为另一人设管理员 (the last active administrator must stay)")

    def all(self) -> list[Account]:
        with self.db.session(readonly=True) as session:
            users = session.scalars(select(m.User).options(selectinload(m.User.departments))
                                    .order_by(m.User.id)).all()
            return [_account(u) for u in users]

    def count(self) -> int:
        with self.db.session(readonly=True) as session:
            return len(session.scalars(select(m.User.id)).all())

    def login(self, username: str, password: str) -> tuple[str, Login] | None:
        """(session token for the cookie, login) or None; the token itself is never stored."""
        with self.db.session() as session:
            user = session.scalar(select(m.User).where(m.User.username == username)
                                  .options(selectinload(m.User.departments)))
            try:
                _HASHER.verify(user.password_hash if user else _DUMMY_HASH, password)
            except (VerifyMismatchError, VerificationError, InvalidHashError):
                return None
            if user is None or not user.active:
                return None
            if _HASHER.check_needs_rehash(user.password_hash):
                user.password_hash = _HASHER.hash(password)
            token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
            now = datetime.now()
            session.execute(delete(m.WebSession).where(m.WebSession.expires_at < now))
            # a login is recorded by its session row (who, when), not in the audit log of
            # changes: reading pages must not look like a change to the ledger
            session.add(m.WebSession(token_hash=_hash_token(token), user_id=user.id, csrf_token=csrf,
                                     expires_at=now + timedelta(hours=SESSION_HOURS)))
            return token, Login(_account(user), csrf)

    def device_key(self, username: str) -> bytes | None:
        """The key that signs this account's device cookies (the web's login limits): derived
        from its password hash, so it holds across restarts and ends with the password."""
        with self.db.session(readonly=True) as session:
            row = session.execute(select(m.User.password_hash, m.User.active)
                                  .where(m.User.username == username)).one_or_none()
            if row is None or not row.active:
                return None
            return hashlib.sha256(b"duban device cookie\0" + row.password_hash.encode()).digest()

    def resolve(self, token: str) -> Login | None:
        if not token or len(token) > 200:
            return None
        with self.db.session(readonly=True) as session:
            row = session.scalar(select(m.WebSession).where(
                m.WebSession.token_hash == _hash_token(token)))
            if row is None or row.expires_at < datetime.now():
                return None
            user = session.get(m.User, row.user_id, options=[selectinload(m.User.departments)])
            if user is None or not user.active:
                return None
            return Login(_account(user), row.csrf_token)

    def logout(self, token: str) -> None:
        with self.db.session() as session:
            session.execute(delete(m.WebSession).where(m.WebSession.token_hash == _hash_token(token)))
