"""Where Anki's Python API differs between the Anki versions the add-on runs on (23.10
and newer): each difference is one function here, named for what it does, with the
version that brought the newer API. The rest of the add-on calls these and never
asks which Anki it runs in."""

from __future__ import annotations

import contextlib
import sys
import threading
from collections.abc import Iterator

import anki.collection
from anki.collection import Collection, ExportLimit, ImportAnkiPackageRequest
from anki.import_export_pb2 import ImportAnkiPackageOptions


def packages_carry_deck_presets() -> bool:
    """Anki 23.12 put deck presets (deck options) into .apkg files, on export and on
    import; 23.10 exports and imports scheduling without them."""
    return hasattr(anki.collection, "ExportAnkiPackageOptions")


def export_package(
    col: Collection, out_path: str, limit: ExportLimit, with_scheduling: bool
) -> None:
    """Export the cards of `limit` and their media as a package older Ankis read too."""
    if not packages_carry_deck_presets():
        col.export_anki_package(  # type: ignore[call-arg]  # Anki 23.10's signature
            out_path=out_path, limit=limit, with_scheduling=with_scheduling,
            with_media=True, legacy_support=True,
        )  # fmt: skip
        return
    options = anki.collection.ExportAnkiPackageOptions(
        with_scheduling=with_scheduling,
        with_deck_configs=with_scheduling,
        with_media=True,
        legacy=True,
    )
    col.export_anki_package(out_path=out_path, options=options, limit=limit)


def import_package(col: Collection, package_path: str) -> None:
    """Import a package with its scheduling (and, where Anki has them, deck presets)."""
    options = ImportAnkiPackageOptions(with_scheduling=True)
    if packages_carry_deck_presets():
        options.with_deck_configs = True
    col.import_anki_package(ImportAnkiPackageRequest(package_path=package_path, options=options))


@contextlib.contextmanager
def anki_reports_on_stderr() -> Iterator[None]:
    """Anki 23.12 to 25.09 print "blocked main thread for …ms" and a stack trace to
    stdout whenever a backend call on the main thread takes over 200 ms (26.05 logs it
    at debug level instead). Where stdout is the command line's answer (JSON a script
    reads, the address `serve` announces), what Anki prints while it works goes to
    stderr. Only on the main thread, the one Anki reports on: sys.stdout is the whole
    process's, and other threads' output stays where it was."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    with contextlib.redirect_stdout(sys.stderr):
        yield
