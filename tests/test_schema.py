"""The field dictionary: every table column is described, frames conform, bad columns are refused."""
from __future__ import annotations

import pandas as pd
import pytest

from toolkit import schema


def test_schema_every_column_is_described():
    for table, columns in schema.TABLES.items():
        assert table in schema.TABLE_DOCS
        assert len(columns) == len(set(columns)), table
        for column in columns:
            assert column in schema.FIELDS, f"{table}.{column} missing from FIELDS"


@pytest.mark.parametrize("table", list(schema.TABLES))
def test_schema_empty_frame_passes_check(table):
    schema.check(table, schema.empty_frame(table))


def test_schema_conform_orders_types_and_fills():
    frame = schema.conform("casualties", [{"article_id": "a", "casualty_kind": "killed", "count": 3}])
    schema.check("casualties", frame)
    assert frame.loc[0, "count"] == 3 and pd.isna(frame.loc[0, "qualifier"])


@pytest.mark.parametrize("complete", [True, False])
def test_schema_conform_of_a_frame_leaves_the_frame_alone(complete):
    """The conformed frame is typed and shares no data with the one given (typed or not, with or
    without every column): writing to one never changes the other."""
    rows = [{"article_id": "a", "casualty_kind": "killed", "count": 3}]
    given = schema.conform("casualties", rows) if complete else pd.DataFrame(rows)
    before = given.copy()
    frame = schema.conform("casualties", given)
    schema.check("casualties", frame)
    frame.loc[0, "article_id"], frame.loc[0, "count"] = "b", 4
    pd.testing.assert_frame_equal(given, before)
    given.loc[0, "casualty_kind"] = "injured"
    assert frame.loc[0, "casualty_kind"] == "killed"


def test_schema_conform_refuses_unknown_columns():
    with pytest.raises(KeyError, match="no column"):
        schema.conform("casualties", [{"article_id": "a", "kill_count": 3}])


def test_schema_check_catches_wrong_dtype():
    frame = schema.empty_frame("outages")
    frame["customers"] = frame["customers"].astype("float64")
    with pytest.raises(ValueError, match="customers"):
        schema.check("outages", frame)


def test_schema_table_lists_are_shared_with_the_extractors_without_pandas():
    """The extractors take their table lists from the schema, and importing them does not import
    pandas (worker processes and the first extraction would pay for it)."""
    import subprocess
    import sys

    from toolkit import diplomacy, schema, strikes

    assert strikes.STRIKE_TABLES is schema.STRIKE_TABLES and diplomacy.DIPLOMACY_TABLES is schema.DIPLOMACY_TABLES
    assert set(schema.STRIKE_ANALYSIS) | set(schema.DIPLOMACY_ANALYSIS) == set(schema.TABLES) - {"problems"}
    code = "import sys, toolkit.extract; sys.exit('pandas' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
