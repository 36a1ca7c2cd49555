"""Reading a dataset folder written by duban batch, for the corpus tests: every table with
its partition's level and year, in a stable order."""
from __future__ import annotations

from pathlib import Path
from typing import Any

TABLES = ("reports", "tasks", "quantities", "links")


def read_tables(out: Path) -> dict[str, list[dict[str, Any]]]:
    import pyarrow as pa
    import pyarrow.dataset as ds

    scheme = ds.partitioning(pa.schema([("level", pa.string()), ("year", pa.int64())]), flavor="hive")
    tables = {}
    for name in TABLES:
        rows = ds.dataset(out / name, format="parquet", partitioning=scheme).to_table().to_pylist()
        rows.sort(key=lambda r: tuple(str(r.get(k)) for k in ("level", "year", "government",
                                                                "report_id", "target_report_id",
                                                                "index")))
        tables[name] = rows
    return tables
