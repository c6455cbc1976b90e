"""`make bench`: every workload users compare, side by side in one run, each as a ratio
to the raw `anki` calls doing the same work (or to a peer) measured in the same run."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tools.bench.anki_connect import bench_anki_connect
from tools.bench.ankiops import bench_ankiops
from tools.bench.folders import bench_folder, bench_vault
from tools.bench.markdown import bench_markdown
from tools.bench.native_api import bench_api


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cards", type=int, default=10_000)
    parser.add_argument("--singles", type=int, default=1_000)
    parser.add_argument("--markdown-notes", type=int, default=20_000)
    parser.add_argument("--markdown-files", type=int, default=200)
    # AnkiOps gives each request 10 seconds; its cardsInfo of every card (a gigabyte of
    # JSON at 20,000 cards) is the longest, at about 8 s here.
    parser.add_argument("--ankiops-notes", type=int, default=20_000)
    parser.add_argument("--ankiops-files", type=int, default=200)
    parser.add_argument("--vault-notes", type=int, default=5_000)
    parser.add_argument("--vault-cards", type=int, default=20_000)
    parser.add_argument(
        "--anki-connect-addon", type=Path, metavar="DIR",
        help="AnkiConnect's add-on folder (as Anki installs it from AnkiWeb, code "
        "2055492159), to run the protocol workloads on it in real Anki beside ours",
    )  # fmt: skip
    parser.add_argument(
        "--only", choices=["api", "anki_connect", "markdown", "folder", "vault", "ankiops"]
    )
    args = parser.parse_args()
    benches: dict[str, Callable[[Path], dict[str, Any]]] = {
        "folder": lambda work: bench_folder(work, args.markdown_notes, args.markdown_files),
        "vault": lambda work: bench_vault(work, args.vault_notes, args.vault_cards),
        "ankiops": lambda work: bench_ankiops(work, args.ankiops_notes, args.ankiops_files),
        "anki_connect": lambda work: bench_anki_connect(work, args.cards, args.anki_connect_addon),
        "api": lambda work: bench_api(work, args.cards, args.singles),
        "markdown": lambda work: bench_markdown(work, args.markdown_notes, args.markdown_files),
    }
    results = {}
    for name, bench in benches.items():
        if args.only in (None, name):
            with tempfile.TemporaryDirectory(prefix=f"cc-bench-{name}-") as work:
                try:
                    results[name] = bench(Path(work))
                except Exception as exc:  # one failing peer must not lose the others' figures
                    results[name] = {"failed": f"{type(exc).__name__}: {exc}"[-3000:]}
                print(f"{name}: {json.dumps(results[name])}", file=sys.stderr, flush=True)
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
