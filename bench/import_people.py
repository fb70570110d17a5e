"""Benchmark: import an HR export of 20,000 people with the real command.

Times, on a fresh SQLite database (or DATABASE_URL if set): the first import, the
same file again (nothing changes) and a full import where 500 people have left.

    .venv/bin/python bench/import_people.py [--rows 20000]
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
HEADER = (
    "employee_number;email;first_name;last_name;unit_code;unit_name;"
    "parent_unit_code;is_manager;language\n"
)
FIRST = ["Aino", "Eero", "Maija", "Anders", "Linnea", "Juha", "Sanna", "Ville"]
LAST = ["Virtanen", "Korhonen", "Lindqvist", "Nieminen", "Mäkinen", "Holm"]


def write_export(path, rows):
    """An export with 3 sectors, 40 departments and 800 teams (one manager each)."""
    with path.open("w", encoding="utf-8") as out:
        out.write(HEADER)
        for number in range(rows):
            team = number % 800
            department, sector = team % 40, team % 3
            unit, parent = f"T{team}", f"D{department}"
            if number < 3:
                unit, parent = f"S{sector}", ""
            elif number < 43:
                unit, parent = f"D{number - 3}", f"S{(number - 3) % 3}"
            manager = "kyllä" if number < 843 else ""
            language = "sv" if number % 5 == 0 else "fi"
            out.write(
                f"{100000 + number};henkilo{number}@kaupunki.example;"
                f"{FIRST[number % len(FIRST)]};{LAST[number % len(LAST)]};"
                f"{unit};Yksikkö {unit};{parent};{manager};{language}\n"
            )


def run(env, *arguments):
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "manage.py", "import_people", *arguments],
        cwd=PROJECT, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return time.perf_counter() - started, result.stdout.strip().splitlines()[-1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20000)
    rows = parser.parse_args().rows
    with tempfile.TemporaryDirectory(prefix="bench-import-") as folder:
        env = {**os.environ, "DEBUG": "1", "VAR_DIR": folder, "LOG_LEVEL": "WARNING"}
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
            cwd=PROJECT, env=env, check=True,
        )  # fmt: skip
        export = Path(folder) / "hr.csv"
        write_export(export, rows)
        first = run(env, str(export))
        again = run(env, str(export))
        lines = export.read_text(encoding="utf-8").splitlines(keepends=True)
        export.write_text("".join(lines[:-500]), encoding="utf-8")
        full = run(env, str(export), "--full")
    for label, (seconds, summary) in (
        (f"first import of {rows} rows", first),
        ("same file again", again),
        ("full import, 500 left", full),
    ):
        print(f"{label:<28} {seconds:6.1f} s   {summary}")


if __name__ == "__main__":
    main()
