"""duban batch from object storage (s3://), against a local S3 server (moto): the same dataset
as from the folder, resumable, manifests on the store, clear errors; Ray workers read the
objects themselves."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from corpus_tables import read_tables

from duban.cli import main

FILES = ["district-hailaer-2016.txt", "district-hailaer-2017.txt", "national-2024.txt"]


@pytest.fixture(scope="module")
def s3(corpus: Path):  # type: ignore[no-untyped-def]
    """A local S3 endpoint holding three corpus reports under s3://reports/raw/."""
    server_mod = pytest.importorskip("moto.server")
    pytest.importorskip("s3fs")
    import boto3

    server = server_mod.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    env = {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
           "AWS_DEFAULT_REGION": "us-east-1", "AWS_ENDPOINT_URL": f"http://{host}:{port}"}
    with pytest.MonkeyPatch.context() as mp:
        for key, value in env.items():
            mp.setenv(key, value)
        client = boto3.client("s3")
        client.create_bucket(Bucket="reports")
        for name in FILES:
            client.put_object(Bucket="reports", Key=f"raw/{name}", Body=(corpus / name).read_bytes())
        client.put_object(Bucket="reports", Key="raw/notes.csv", Body=b"not,a,report\n")
        yield client
    server.stop()


def _tables(out: Path) -> dict[str, list[dict]]:
    return read_tables(out)


def _without_location(tables: dict[str, list[dict]]) -> dict[str, list[dict]]:
    return {name: [{k: v for k, v in row.items() if k not in ("path",)} for row in rows]
            for name, rows in tables.items()}


def _batch(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["batch", *args])
    return result.exit_code, result.output


def test_s3_prefix_gives_the_same_dataset_as_the_folder(s3, corpus: Path, tmp_path: Path) -> None:
    folder = tmp_path / "raw"
    folder.mkdir()
    for name in FILES:
        (folder / name).write_bytes((corpus / name).read_bytes())
    code, output = _batch("s3://reports/raw/", "-o", str(tmp_path / "remote"), "--workers", "2")
    assert code == 0, output
    assert "新抽取 3 份" in output  # notes.csv is not a report
    code, output = _batch(str(folder), "-o", str(tmp_path / "local"), "--workers", "2")
    assert code == 0, output
    remote, local = _tables(tmp_path / "remote"), _tables(tmp_path / "local")
    assert {r["path"] for r in remote["reports"]} == {f"s3://reports/raw/{n}" for n in FILES}
    assert _without_location(remote) == _without_location(local)
    assert {(l["government"], l["year"]) for l in remote["links"]} == {("海拉尔区", 2016)}
    # a second run lists the store again and reuses every finished report
    code, output = _batch("s3://reports/raw/", "-o", str(tmp_path / "remote"), "--workers", "1")
    assert code == 0 and "新抽取 0 份，沿用 3 份" in output


def test_a_changed_object_is_extracted_again(s3, corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    s3.put_object(Bucket="reports", Key="one/r.txt", Body=(corpus / FILES[0]).read_bytes())
    assert _batch("s3://reports/one/", "-o", str(out))[0] == 0
    s3.put_object(Bucket="reports", Key="one/r.txt", Body=(corpus / FILES[1]).read_bytes())
    code, output = _batch("s3://reports/one/", "-o", str(out))
    assert code == 0 and "新抽取 1 份" in output
    [report] = _tables(out)["reports"]
    assert report["year"] == 2017


def test_manifest_on_the_store_names_government_and_year(s3, tmp_path: Path) -> None:
    s3.put_object(Bucket="reports", Key="lists/manifest.csv",
                  Body="path,government,level,year\n../raw/national-2024.txt,国务院,national,2024\n"
                       "../raw/missing.txt,国务院,national,2025\n".encode())
    out = tmp_path / "m"
    code, output = _batch("s3://reports/lists/manifest.csv", "-o", str(out))
    assert code == 1 and "missing.txt" in output  # reported, and the other report completes
    [report] = _tables(out)["reports"]
    assert (report["government"], report["year"]) == ("国务院", 2024)


def test_store_errors_are_clear(s3, tmp_path: Path) -> None:
    code, output = _batch("s3://reports/nothing-here/", "-o", str(tmp_path / "a"))
    assert code == 1 and "没有找到报告文件" in output
    code, output = _batch("ftp://example.org/raw/", "-o", str(tmp_path / "b"))
    assert code == 1 and "不支持的地址协议" in output
    assert not (tmp_path / "b").exists()


def test_ray_workers_read_the_store(s3, tmp_path: Path) -> None:
    pytest.importorskip("ray")
    local, ray_out = tmp_path / "local", tmp_path / "ray"
    for engine, out in (("local", local), ("ray", ray_out)):
        code, output = _batch("s3://reports/raw/", "-o", str(out), "--engine", engine,
                              "--workers", "2")
        assert code == 0, output
    assert _tables(local) == _tables(ray_out)
