"""Great Expectations imported without the modules only unused expectations need (issue 26): an `ingest` call's
validator is ready without altair, scipy.stats and jsonschema in the process, the suites still run, and each of
those modules works as ever for whoever imports it afterwards (the figures) or through GX's own reference."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from pipeline.checks.deferred_imports import ImportedOnUse, deferred

ROOT = __import__("pathlib").Path(__file__).resolve().parents[1]


def _run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_the_validator_is_ready_without_the_unneeded_modules_and_they_still_work_afterwards():
    out = _run("""
        import sys
        from datetime import date
        import polars as pl
        from pipeline.checks.gx_runner import GxValidator, load_suites

        validator = GxValidator()
        from great_expectations.execution_engine import pandas_execution_engine
        frame = pl.DataFrame({"_export": [0, 0], "_row": [2, 3], "data_eksportu": [date(2025, 1, 15)] * 2,
                              "okres_od": [date(2024, 1, 1), date(2025, 1, 1)], "okres_do": [date(2024, 12, 31)] * 2})
        outcomes = validator.validate(load_suites()["metadane"], frame, 8)
        print("failed", sorted((o.code, o.rows_by_export.get(0)) for o in outcomes if not o.success))
        print("imported", [m for m in ("altair", "jsonschema", "scipy.stats", "rfc3987_syntax") if m in sys.modules])
        print("fingerprint threshold", pandas_execution_engine.HASH_THRESHOLD)

        import altair as alt
        print("altair", type(alt).__name__, alt.Chart.__name__)
        from great_expectations.expectations.core import expect_column_kl_divergence_to_be_less_than as kl
        print("through GX", type(kl.alt).__name__, kl.alt.Chart is alt.Chart, round(float(kl.stats.entropy([1, 1], [1, 3])), 4))
        import scipy.stats, jsonschema
        print("modules", type(sys.modules["scipy.stats"]).__name__, type(sys.modules["jsonschema"]).__name__)
    """)
    lines = dict(line.split(" ", 1) for line in out.strip().splitlines())
    assert lines["imported"] == "[]", out
    assert lines["failed"].startswith("[(") and "[3]" in lines["failed"], out   # the second row's period runs backwards
    assert lines["fingerprint"] == "threshold 0", out
    assert lines["altair"] == "module Chart", out                      # a plain import after GX is the real module
    assert lines["through"] == "GX ImportedOnUse True 0.1438", out     # GX's reference passes on to the real one
    assert lines["modules"] == "module module", out


def test_a_stand_in_imports_its_module_on_first_use_and_leaves_no_trace(tmp_path, monkeypatch):
    (tmp_path / "slow_module_for_test.py").write_text("import builtins\nbuiltins.slow_module_ran = True\nVALUE = 42\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    import builtins

    with deferred(("slow_module_for_test",)) as names:
        assert names == ["slow_module_for_test"]
        import slow_module_for_test as stand_in

        assert isinstance(stand_in, ImportedOnUse)
        assert not hasattr(builtins, "slow_module_ran")                # imported as a name only: not run
    assert "slow_module_for_test" not in sys.modules                   # unused: gone again
    assert stand_in.VALUE == 42 and builtins.slow_module_ran           # first use runs the real module
    real = sys.modules["slow_module_for_test"]
    assert not isinstance(real, ImportedOnUse) and real.VALUE == 42
    del builtins.slow_module_ran
    sys.modules.pop("slow_module_for_test")


def test_a_module_already_imported_is_left_as_it_is():
    import json

    with deferred(("json",)) as names:
        assert names == []
        assert sys.modules["json"] is json
