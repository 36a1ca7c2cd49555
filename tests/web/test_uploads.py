"""Report uploads are extracted off the request thread with a time limit: one slow or huge
upload neither stalls other requests nor hangs; it ends with a clear Chinese message."""
from __future__ import annotations

import asyncio
import io
import random
import time
import zipfile

import httpx

from duban.cli import sample_path

PASSWORD = "test-password-123"


def docx_bomb(megabytes: int) -> bytes:
    """A small .docx whose text unpacks to ``megabytes`` of XML: plan sentences, over and
    over (what froze the server for 25 s before)."""
    para = "<w:p><w:r><w:t>" + "新增就业1.6万人以上。" * 20 + "</w:t></w:r></w:p>"
    return _docx(para * (megabytes * 2**20 // len(para.encode())))


def docx_slow(megabytes: int) -> bytes:
    """A .docx of ``megabytes`` of varied text: within every decompression limit (it packs
    about 2:1), but long to parse and extract."""
    rng = random.Random(7)
    words = ["新增就业", "建成", "学校", "公里", "改造", "增长", "推进", "项目", "城市", "乡村"]
    paras = []
    size = 0
    while size < megabytes * 2**20:
        text = "".join(rng.choice(words) + str(rng.randint(1, 99999)) + rng.choice("个所万人，。")
                       for _ in range(40))
        paras.append(f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>")
        size += len(paras[-1].encode())
    return _docx("".join(paras))


def _docx(body: str) -> bytes:
    ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
                   'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
                   '"application/xml"/><Override PartName="/word/document.xml" ContentType="application/'
                   'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        z.writestr("_rels/.rels",
                   '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
                   'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
                   'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
                   'Target="word/document.xml"/></Relationships>')
        z.writestr("word/document.xml", f'<?xml version="1.0" encoding="UTF-8"?><w:document '
                                        f'xmlns:w="{ns}"><w:body>{body}</w:body></w:document>')
    return buffer.getvalue()


async def _session(app, username: str) -> httpx.AsyncClient:  # type: ignore[no-untyped-def]
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")
    response = await client.post("/api/v1/session", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200
    client.headers["X-CSRF-Token"] = response.json()["csrf_token"]
    return client


def test_a_zip_bomb_is_refused_before_it_is_unpacked(app) -> None:  # type: ignore[no-untyped-def]
    bomb = docx_bomb(8)
    assert len(bomb) < 100_000
    reports_before = len(app.state.services.ledger.reports())

    async def story() -> tuple[httpx.Response, float]:
        office = await _session(app, "duchashi")
        start = time.monotonic()
        response = await office.post(
            "/api/v1/reports", data={"government": "测试区", "year": "2023"},
            files={"file": ("报告.docx", bomb, "application/octet-stream")})
        await office.aclose()
        return response, time.monotonic() - start

    response, took = asyncio.run(story())
    assert response.status_code == 413, response.text
    assert "报告.docx" in response.json()["error"] and "解压" in response.json()["error"]
    assert took < 2
    assert len(app.state.services.ledger.reports()) == reports_before


def test_a_slow_upload_stops_on_time_and_stalls_nobody(app) -> None:  # type: ignore[no-untyped-def]
    app.state.services.parser.seconds = 1.5
    bomb = docx_slow(24)
    reports_before = len(app.state.services.ledger.reports())

    async def story() -> tuple[httpx.Response, list[float], float]:
        office = await _session(app, "duchashi")
        public = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")
        start = time.monotonic()
        upload = asyncio.create_task(office.post(
            "/api/v1/reports", data={"government": "测试区", "year": "2023"},
            files={"file": ("报告.docx", bomb, "application/octet-stream")}))
        await asyncio.sleep(0.5)  # the upload is being extracted now
        pages = []
        while not upload.done():
            t = time.monotonic()
            assert (await public.get("/api/v1/public/tasks")).status_code == 200
            pages.append(time.monotonic() - t)
            await asyncio.sleep(0.2)
        response = await upload
        await office.aclose()
        await public.aclose()
        return response, pages, time.monotonic() - start

    response, pages, took = asyncio.run(story())
    assert response.status_code == 400, response.text
    assert "超时" in response.json()["error"] and "报告.docx" in response.json()["error"]
    assert took < 10  # stopped at its limit, not after the minutes a full extraction takes
    assert len(pages) >= 5 and max(pages) < 1.0  # others were answered meanwhile
    assert len(app.state.services.ledger.reports()) == reports_before  # nothing written


def test_uploads_are_extracted_in_a_child_and_errors_come_back(app) -> None:  # type: ignore[no-untyped-def]
    async def story() -> tuple[httpx.Response, httpx.Response, httpx.Response]:
        office = await _session(app, "duchashi")
        sample = sample_path().read_bytes()
        ok = await office.post("/api/v1/reports", data={"government": "测试区", "year": "2023"},
                               files={"file": ("sample.txt", sample, "text/plain")})
        again = await office.post("/api/v1/reports", data={"government": "测试区", "year": "2023"},
                                  files={"file": ("sample.txt", sample, "text/plain")})
        broken = await office.post("/api/v1/reports", data={"government": "测试区"},
                                   files={"file": ("坏.docx", b"PK\x03\x04 truncated", "application/zip")})
        await office.aclose()
        return ok, again, broken

    ok, again, broken = asyncio.run(story())
    assert ok.status_code == 200 and ok.json()["tasks"] > 50
    assert again.status_code == 409 and "已导入" in again.json()["error"]  # AlreadyExists, from the child
    assert broken.status_code == 400 and "坏.docx" in broken.json()["error"]
