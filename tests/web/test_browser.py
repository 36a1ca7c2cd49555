"""The whole story in a real browser (Playwright driving Debian's chromium): upload, correct,
publish, submit, return, resubmit, approve, dashboard colour, public page. Screenshots go to
DUBAN_SCREENSHOTS (the README shows the ones in docs/screenshots)."""
from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from duban.cli import sample_path

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PASSWORD = "browser-password-1"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("chromium is missing: .ci/run must install it")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    import uvicorn

    from duban.web.app import create_app

    monkeypatch.setenv("DUBAN_TODAY", "2023-07-01")
    app = create_app(url=f"sqlite:///{tmp_path / 'browser.db'}")
    accounts = app.state.services.accounts
    accounts.create("duchashi", PASSWORD, "supervisor", [], "test", "督查室")
    accounts.create("lingdao", PASSWORD, "leader", [], "test", "区长")
    accounts.create("jiaoyu", PASSWORD, "clerk", ["区教育局"], "test", "教育局联络员")
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(100):
        if srv.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


def test_the_whole_story(server: str, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    shots = Path(os.environ.get("DUBAN_SCREENSHOTS", tmp_path / "shots"))
    shots.mkdir(parents=True, exist_ok=True)
    evidence = tmp_path / "完成情况.pdf"
    evidence.write_bytes(b"%PDF-1.4\n% evidence\n")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        office = browser.new_page(viewport={"width": 1366, "height": 900})
        blocked: list[str] = []  # what the Content-Security-Policy refused, on any page
        office.on("console", lambda m: blocked.append(m.text)
                  if "Content Security Policy" in m.text else None)

        def log_in(page, user: str) -> None:  # type: ignore[no-untyped-def]
            page.goto(f"{server}/login")
            page.fill("input[name=username]", user)
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_load_state("networkidle")

        # the supervisor uploads the report
        log_in(office, "duchashi")
        office.goto(f"{server}/reports/upload")
        office.set_input_files("input[name=file]", str(sample_path()))
        office.fill("input[name=government]", "成都市青羊区")
        office.fill("input[name=year]", "2023")
        office.click("button[type=submit]")
        office.wait_for_url("**/plan?report=*")
        expect(office.locator("mark.quote").first).to_be_visible()
        office.screenshot(path=str(shots / "plan.png"))

        # corrects the task without a lead, inline: a wrong deadline is said beside its field
        row = office.locator("tr", has_text="待定").first
        row.get_by_role("button", name="修改").click()
        office.fill("tr.editing input[name=lead]", "区政府办")
        office.fill("tr.editing input[name=deadline]", "下辈子")
        office.click("tr.editing button[type=submit]")
        expect(office.locator("tr.editing label.invalid .field-error")).to_have_text(
            "“下辈子”不是日期 (not a date)")
        office.screenshot(path=str(shots / "plan-edit-error.png"))
        office.fill("tr.editing input[name=deadline]", "全年")
        office.click("tr.editing button[type=submit]")
        expect(office.locator("tr", has_text="待定")).to_have_count(0)
        office.click("#publish")
        expect(office.get_by_text("已发布（已交办）")).to_be_visible()

        # the API documentation works offline, under the CSP
        office.goto(f"{server}/api/docs")
        expect(office.locator(".opblock-summary-path", has_text="/api/v1/public/tasks").first).to_be_visible()
        office.screenshot(path=str(shots / "api-docs.png"))
        # an unknown task: a Chinese page whose 返回 goes back where the user was
        office.goto(f"{server}/tasks/999999", referer=f"{server}/plan")  # a stale link on /plan
        expect(office.get_by_text("找不到页面")).to_be_visible()
        office.screenshot(path=str(shots / "not-found.png"))
        office.click("a.back")
        expect(office).to_have_url(f"{server}/plan")

        # the clerk of 区教育局 sees only the bureau's tasks and reports progress with evidence
        clerk = browser.new_page(viewport={"width": 390, "height": 844})  # a phone
        log_in(clerk, "jiaoyu")
        expect(clerk).to_have_url(f"{server}/workspace")
        mine = clerk.request.get(f"{server}/api/v1/workspace").json()
        assert mine["departments"] == ["区教育局"] and mine["tasks"]
        assert all(t["lead"] == "区教育局" or "区教育局" in t["co"] for t in mine["tasks"])
        assert clerk.request.get(f"{server}/api/v1/plan").status == 403
        clerk.screenshot(path=str(shots / "workspace-phone.png"), full_page=True)
        clerk.locator("a", has_text="新增学位").first.click()
        clerk.fill("input[name=actual]", "9000")
        clerk.fill("textarea[name=narrative]", "已新增学位9000个")
        clerk.set_input_files("input[name=evidence]", str(evidence))
        clerk.click("#progress-form button[type=submit]")
        expect(clerk.get_by_text("已报送，等待督查室审核")).to_be_visible()
        task_url = clerk.url.split("?")[0]

        # the supervisor returns it with a comment
        office.goto(f"{server}/review")
        form = office.locator("tr", has_text="已新增学位9000个").locator("form")
        form.locator("input[name=comment]").fill("请附区教育局统计表")
        form.get_by_role("button", name="退回").click()
        expect(office.get_by_text("没有待审核的进展")).to_be_visible()

        # the clerk sees why and resubmits
        clerk.goto(f"{server}/workspace")
        expect(clerk.get_by_text("请附区教育局统计表")).to_be_visible()
        clerk.goto(task_url)
        clerk.fill("input[name=actual]", "9100")
        clerk.fill("textarea[name=narrative]", "补充统计表，新增学位9100个")
        clerk.click("#progress-form button[type=submit]")
        expect(clerk.get_by_text("已报送，等待督查室审核")).to_be_visible()

        # the supervisor approves
        office.goto(f"{server}/review")
        office.screenshot(path=str(shots / "review.png"))
        office.locator("tr", has_text="补充统计表").get_by_role("button", name="通过").click()
        expect(office.get_by_text("没有待审核的进展")).to_be_visible()

        # the leader's dashboard turns green for it
        leader = browser.new_page(viewport={"width": 1366, "height": 900})
        log_in(leader, "lingdao")
        green = leader.locator(".count.green b")
        expect(green).not_to_have_text("0")
        leader.wait_for_timeout(800)  # let the charts draw
        leader.screenshot(path=str(shots / "dashboard.png"), full_page=True)

        # anyone, without logging in, sees the commitment, its status and its history
        public = browser.new_page(viewport={"width": 1366, "height": 900})
        public.goto(f"{server}/public?q=新增学位")
        row = public.locator("tr", has_text="新增学位").first
        expect(row.locator(".light")).to_have_text("正常推进")
        public.screenshot(path=str(shots / "public.png"))
        row.locator("a").first.click()
        expect(public.get_by_text("补充统计表，新增学位9100个")).to_be_visible()
        expect(public.get_by_text("已新增学位9000个")).to_have_count(0)  # returned: not public
        browser.close()
    assert blocked == []


def test_a_year_per_role(server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                         corpus: Path) -> None:
    """One office's year, role by role, the calendar moved by DUBAN_TODAY: import and correct
    (February, a draft: 未发布), publish, 签收, monthly reporting (待审核), return and resubmit,
    review, the December dashboard, closing; then two older reports of another government
    imported for the promise check change nothing for anyone's pages. Screenshots at 1366 px
    and a phone's width into DUBAN_SCREENSHOTS (docs/screenshots holds the ones the README
    shows: DUBAN_SCREENSHOTS=docs/screenshots pytest tests/web/test_browser.py)."""
    from playwright.sync_api import expect, sync_playwright

    shots = Path(os.environ.get("DUBAN_SCREENSHOTS", tmp_path / "shots"))
    shots.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])

        def page_for(user: str | None, width: int = 1366):  # type: ignore[no-untyped-def]
            page = browser.new_page(viewport={"width": width, "height": 900 if width > 500 else 844})
            if user:
                page.goto(f"{server}/login")
                page.fill("input[name=username]", user)
                page.fill("input[name=password]", PASSWORD)
                page.click("button[type=submit]")
                page.wait_for_load_state("networkidle")
            return page

        # February: the office imports the report; a draft has no lights
        monkeypatch.setenv("DUBAN_TODAY", "2023-02-10")
        office = page_for("duchashi")
        office.goto(f"{server}/reports/upload")
        office.set_input_files("input[name=file]", str(sample_path()))
        office.fill("input[name=government]", "成都市青羊区")
        office.fill("input[name=year]", "2023")
        office.click("button[type=submit]")
        office.wait_for_url("**/plan?report=*")
        expect(office.locator("table.plan .light.unpublished").first).to_have_text("未发布")
        expect(office.locator("table.plan .light.red")).to_have_count(0)
        row = office.locator("tr", has_text="待定").first
        row.get_by_role("button", name="修改").click()
        office.fill("tr.editing input[name=lead]", "区政府办")
        office.click("tr.editing button[type=submit]")
        expect(office.locator("tr", has_text="待定")).to_have_count(0)
        office.click("#publish")
        expect(office.get_by_text("已发布（已交办）")).to_be_visible()

        # March: the clerk of 区教育局 (on a phone) signs and reports; the report waits for review
        monkeypatch.setenv("DUBAN_TODAY", "2023-03-05")
        clerk = page_for("jiaoyu", 390)
        clerk.locator("a", has_text="新增学位").first.click()
        clerk.get_by_role("button", name="签收任务").click()
        expect(clerk.get_by_role("button", name="签收任务")).to_have_count(0)
        clerk.fill("input[name=period]", "2023-02")
        clerk.fill("input[name=actual]", "1200")
        clerk.fill("textarea[name=narrative]", "新增学位1200个")
        clerk.click("#progress-form button[type=submit]")
        expect(clerk.get_by_text("已报送，等待督查室审核")).to_be_visible()
        task_url = clerk.url.split("?")[0]
        clerk.goto(f"{server}/workspace")
        mine = clerk.locator("tr", has_text="新增学位").first
        expect(mine.locator(".light")).to_have_text("待审核")
        expect(mine).to_contain_text("2023-02")
        clerk.screenshot(path=str(shots / "year-workspace-phone.png"), full_page=True)

        # the office returns it; the clerk sees 被退回待修改 until sending again
        office.goto(f"{server}/review")
        queued = office.locator("tr", has_text="新增学位1200个")
        expect(queued.locator("td.reported")).to_contain_text("1200")
        office.screenshot(path=str(shots / "year-review.png"), full_page=True)
        queued.locator("input[name=comment]").fill("请附学位统计表")
        queued.get_by_role("button", name="退回").click()
        expect(office.get_by_text("没有待审核的进展")).to_be_visible()
        clerk.goto(f"{server}/workspace")
        expect(clerk.locator(".count.returned b")).to_have_text("1")
        clerk.goto(task_url)
        clerk.fill("input[name=period]", "2023-02")
        clerk.fill("input[name=actual]", "1500")
        clerk.fill("textarea[name=narrative]", "补充统计表，新增学位1500个")
        clerk.click("#progress-form button[type=submit]")
        clerk.goto(f"{server}/workspace")
        expect(clerk.locator(".count.returned b")).to_have_text("0")
        office.goto(f"{server}/review")
        office.locator("tr", has_text="补充统计表").get_by_role("button", name="通过").click()
        expect(office.get_by_text("没有待审核的进展")).to_be_visible()

        # December: the leader's dashboard; the office closes a task
        monkeypatch.setenv("DUBAN_TODAY", "2023-12-03")
        leader = page_for("lingdao")
        expect(leader.locator("h1")).to_contain_text("成都市青羊区2023年")
        leader.wait_for_timeout(800)  # the charts
        leader.screenshot(path=str(shots / "year-dashboard.png"), full_page=True)
        before = leader.request.get(f"{server}/api/v1/dashboard").json()
        office.goto(task_url)
        office.fill("input[name=note]", "全年目标完成")
        office.get_by_role("button", name="办结销号").click()
        expect(office.locator("h1 + p .light")).to_have_text("已完成")
        office.screenshot(path=str(shots / "year-task.png"), full_page=True)
        before = leader.request.get(f"{server}/api/v1/dashboard").json()
        clerk_before = clerk.request.get(f"{server}/api/v1/workspace").json()
        visitor = page_for(None)
        public_before = visitor.request.get(f"{server}/api/v1/public/tasks").json()

        # the promise check: two older reports of another government, imported by the office
        hailaer = [corpus / f"district-hailaer-{year}.txt" for year in (2016, 2017)]
        if not all(path.exists() for path in hailaer):
            pytest.skip("the corpus (../shared) is not beside the project")
        for path, year in zip(hailaer, (2016, 2017)):
            office.goto(f"{server}/reports/upload")
            office.set_input_files("input[name=file]", str(path))
            office.fill("input[name=government]", "海拉尔区")
            office.fill("input[name=year]", str(year))
            office.click("button[type=submit]")
            office.wait_for_url("**/plan?report=*")
        expect(office.locator(".switcher")).to_contain_text("草稿，仅督查室可见")
        office.screenshot(path=str(shots / "year-switcher-draft.png"))
        time.sleep(1.1)  # the snapshots notice a change within a second
        assert leader.request.get(f"{server}/api/v1/dashboard").json() == before
        assert clerk.request.get(f"{server}/api/v1/workspace").json() == clerk_before
        assert visitor.request.get(f"{server}/api/v1/public/tasks").json() == public_before
        leader.goto(f"{server}/")
        expect(leader.locator("h1")).to_contain_text("成都市青羊区2023年")
        expect(leader.locator("body")).not_to_contain_text("海拉尔区")
        # the office goes back to its own plan with the switcher
        office.select_option(".switcher select[name=gov]", "成都市青羊区")
        office.locator(".switcher button").click()
        expect(office.locator("h1")).to_contain_text("成都市青羊区2023年")

        # the public page, on a desk and on a phone: the same words as inside
        visitor.goto(f"{server}/public")
        expect(visitor.locator("h1")).to_contain_text("成都市青羊区2023年")
        visitor.screenshot(path=str(shots / "year-public.png"))
        phone = page_for(None, 390)
        phone.goto(f"{server}/public")
        phone.screenshot(path=str(shots / "year-public-phone.png"))
        browser.close()
