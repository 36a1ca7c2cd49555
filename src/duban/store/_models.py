"""SQLAlchemy 2 models of the ledger (台账). ORM classes never leave ``duban.store``."""
from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import (
    Boolean, Date, DateTime, Float, ForeignKey, Index, Integer, LargeBinary, String, Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


class Base(DeclarativeBase):
    pass


class Government(Base):
    __tablename__ = "governments"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    level: Mapped[str] = mapped_column(String(20))  # national province city district county


class Department(Base):
    __tablename__ = "departments"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    short_name: Mapped[str] = mapped_column(String(60), default="")
    aliases: Mapped[str] = mapped_column(Text, default="")  # further short forms, one per line
    function: Mapped[str] = mapped_column(String(30), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    duties: Mapped[str] = mapped_column(Text, default="", server_default="")  # 三定职责, in brief
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), default=None)


class Report(Base):
    __tablename__ = "reports"
    __table_args__ = (UniqueConstraint("government_id", "year", "source_sha256"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    government_id: Mapped[int] = mapped_column(ForeignKey("governments.id"))
    year: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200), default="")
    source_name: Mapped[str] = mapped_column(String(300))
    source_sha256: Mapped[str] = mapped_column(String(64))
    format: Mapped[str] = mapped_column(String(10))
    original_text: Mapped[str] = mapped_column(Text)
    published: Mapped[bool] = mapped_column(Boolean, default=False)
    imported_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    imported_by: Mapped[str] = mapped_column(String(100), default="")
    government: Mapped[Government] = relationship()


class Section(Base):
    __tablename__ = "sections"
    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    level: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(20), default="")
    title: Mapped[str] = mapped_column(String(300), default="")
    kind: Mapped[str] = mapped_column(String(10))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)


class Task(Base):
    __tablename__ = "tasks"
    __table_args__ = (UniqueConstraint("report_id", "seq"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)  # 序号 within the plan
    part: Mapped[str] = mapped_column(String(100), default="")  # the report part (一、…)
    section: Mapped[str] = mapped_column(String(300), default="")
    quote: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)  # 工作任务 as the office words it (starts as quote)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(10))  # target project honour policy
    # workflow: draft -> assigned -> acknowledged -> reported -> closed
    state: Mapped[str] = mapped_column(String(20), default="draft")
    deadline_kind: Mapped[str] = mapped_column(String(20), default="year")  # date year continuous milestones
    deadline: Mapped[date | None] = mapped_column(Date, nullable=True)
    leader: Mapped[str] = mapped_column(String(100), default="")  # 牵头领导
    note: Mapped[str] = mapped_column(Text, default="")
    # the latest approved progress, kept on the task so that roll-ups read one table
    latest_update_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    latest_actual: Mapped[float | None] = mapped_column(Float, nullable=True)
    latest_percent: Mapped[float | None] = mapped_column(Float, nullable=True)
    latest_period: Mapped[str] = mapped_column(String(10), default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    targets: Mapped[list[Target]] = relationship(back_populates="task", order_by="Target.id",
                                                 cascade="all, delete-orphan")
    assignments: Mapped[list[Assignment]] = relationship(back_populates="task",
                                                         order_by="Assignment.id",
                                                         cascade="all, delete-orphan")
    milestones: Mapped[list[Milestone]] = relationship(order_by="Milestone.due_date",
                                                       cascade="all, delete-orphan")
    report: Mapped[Report] = relationship()

    __mapper_args__ = {"version_id_col": version}


class Target(Base):
    """The promise as the report states it; later changes are TargetRevisions."""

    __tablename__ = "targets"
    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    indicator: Mapped[str] = mapped_column(String(200))
    value: Mapped[float | None] = mapped_column(Float, nullable=True)
    upper: Mapped[float | None] = mapped_column(Float, nullable=True)
    unit: Mapped[str] = mapped_column(String(30), default="")
    comparator: Mapped[str] = mapped_column(String(10), default="=")
    higher_is_better: Mapped[bool] = mapped_column(Boolean, default=True)
    quote: Mapped[str] = mapped_column(String(200), default="")
    start: Mapped[int | None] = mapped_column(Integer, nullable=True)
    end: Mapped[int | None] = mapped_column(Integer, nullable=True)
    task: Mapped[Task] = relationship(back_populates="targets")
    revisions: Mapped[list[TargetRevision]] = relationship(
        order_by="TargetRevision.effective_date, TargetRevision.id", cascade="all, delete-orphan")


class TargetRevision(Base):
    __tablename__ = "target_revisions"
    id: Mapped[int] = mapped_column(primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("targets.id", ondelete="CASCADE"), index=True)
    value: Mapped[float | None] = mapped_column(Float, nullable=True)
    unit: Mapped[str] = mapped_column(String(30), default="")
    comparator: Mapped[str] = mapped_column(String(10), default="=")
    effective_date: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text, default="")
    revised_by: Mapped[str] = mapped_column(String(100), default="")
    revised_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Milestone(Base):
    __tablename__ = "milestones"
    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    due_date: Mapped[date] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text, default="")


class Assignment(Base):
    __tablename__ = "assignments"
    __table_args__ = (UniqueConstraint("task_id", "department_id"),
                      Index("ix_assignments_department_role", "department_id", "role"))
    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    role: Mapped[str] = mapped_column(String(10))  # lead co
    suggested: Mapped[bool] = mapped_column(Boolean, default=False)
    confidence: Mapped[float] = mapped_column(Float, default=0.0)
    rule: Mapped[str] = mapped_column(String(200), default="")
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    task: Mapped[Task] = relationship(back_populates="assignments")
    department: Mapped[Department] = relationship()


class ProgressUpdate(Base):
    __tablename__ = "progress_updates"
    __table_args__ = (Index("ix_progress_task_state", "task_id", "state"),
                      Index("ix_progress_department_state", "department_id", "state"))
    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    period: Mapped[str] = mapped_column(String(10))  # YYYY-MM
    actual_value: Mapped[float | None] = mapped_column(Float, nullable=True)
    percent: Mapped[float | None] = mapped_column(Float, nullable=True)
    narrative: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(12), default="submitted")  # submitted approved returned
    submitted_by: Mapped[str] = mapped_column(String(100), default="")
    submitted_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    task_version: Mapped[int] = mapped_column(Integer)  # the task version the clerk saw
    department: Mapped[Department] = relationship()
    evidence: Mapped[list[Evidence]] = relationship(cascade="all, delete-orphan",
                                                    order_by="Evidence.id")
    reviews: Mapped[list[Review]] = relationship(cascade="all, delete-orphan", order_by="Review.id")


class Evidence(Base):
    __tablename__ = "evidence"
    id: Mapped[int] = mapped_column(primary_key=True)
    update_id: Mapped[int] = mapped_column(ForeignKey("progress_updates.id", ondelete="CASCADE"),
                                           index=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100), default="application/octet-stream")
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)


class Review(Base):
    __tablename__ = "reviews"
    id: Mapped[int] = mapped_column(primary_key=True)
    update_id: Mapped[int] = mapped_column(ForeignKey("progress_updates.id", ondelete="CASCADE"),
                                           index=True)
    decision: Mapped[str] = mapped_column(String(10))  # approve return
    comment: Mapped[str] = mapped_column(Text, default="")
    reviewer: Mapped[str] = mapped_column(String(100), default="")
    reviewed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class AuditEntry(Base):
    """Append-only: who changed what, when, before and after (JSON)."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    before: Mapped[str] = mapped_column(Text, default="")
    after: Mapped[str] = mapped_column(Text, default="")


TABLES_IN_ORDER = [Government, Department, Report, Section, Task, Target, TargetRevision,
                   Milestone, Assignment, ProgressUpdate, Evidence, Review, AuditEntry]


class User(Base):
    """An account of the web app. Clerks are scoped to their departments."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    display_name: Mapped[str] = mapped_column(String(100), default="")
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))  # admin supervisor clerk leader
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    departments: Mapped[list[Department]] = relationship(secondary="user_departments",
                                                         order_by="Department.id")


class UserDepartment(Base):
    __tablename__ = "user_departments"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id", ondelete="CASCADE"),
                                               primary_key=True)


class WebSession(Base):
    """A login: the cookie holds the token, the table only its hash."""

    __tablename__ = "web_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime)


TABLES_IN_ORDER += [User, UserDepartment, WebSession]
