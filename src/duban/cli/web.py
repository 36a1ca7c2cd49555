"""Commands of the web app: serve, user add."""
from __future__ import annotations

import sys

import click

from ._common import run, settings


@click.group("user")
def user_group() -> None:
    """网页端账号 (accounts of the web app)."""


@user_group.command("add")
@click.argument("username")
@click.option("--role", type=click.Choice(("admin", "supervisor", "clerk", "leader")), required=True,
              help="admin 管理员 / supervisor 督查室 / clerk 部门联络员 / leader 领导（只读）")
@click.option("--department", "departments", multiple=True,
              help="部门联络员所属部门（可多次给出），如 区教育局")
@click.option("--name", default="", help="显示名")
def user_add_command(username: str, role: str, departments: tuple[str, ...], name: str) -> None:
    """新建账号；密码取自环境变量 DUBAN_NEW_PASSWORD，否则在终端输入（不回显）
    (create an account; the password comes from DUBAN_NEW_PASSWORD or a hidden prompt)."""
    import os

    from ..store import Ledger
    from ..store.accounts import Accounts

    password = os.environ.get("DUBAN_NEW_PASSWORD") or click.prompt(
        "密码 (password)", hide_input=True, confirmation_prompt=True)
    cfg = settings()
    ledger = Ledger(cfg.database_url)
    run(lambda: ledger.init(actor=cfg.user))
    account = run(lambda: Accounts(ledger.db).create(
        username, password, role, list(departments), cfg.user, name))
    click.echo(f"已创建账号 {account.username}（{role}）")


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址（默认仅本机）")
@click.option("--port", default=8000, show_default=True, type=int)
def serve_command(host: str, port: int) -> None:
    """启动网页端（驾驶舱、部门工作台、审核台、公开页）(serve the web app)."""
    import uvicorn

    from ..data import sample_path
    from ..web.app import create_app
    from ..web.first_run import first_run

    cfg = settings()
    app = create_app(cfg)
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    base = f"http://[{shown}]:{port}" if ":" in shown else f"http://{shown}:{port}"
    # an empty ledger gets the demo; one without an administrator a one-time set-up link
    for line in run(lambda: first_run(app.state.services, base, str(sample_path()))):
        click.echo(line)
    click.echo(f"duban 网页端：{base}/   公开页：{base}/public")
    sys.stdout.flush()  # the link must show before the server takes over, even in a pipe
    # proxy_headers off: uvicorn would believe X-Forwarded-For from 127.0.0.1 by default;
    # the app itself believes it only from DUBAN_TRUSTED_PROXIES (web/logins.py)
    uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=False)


COMMANDS = (serve_command, user_group)
