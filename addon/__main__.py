"""Headless command line: `context-connect serve|sync ...` (installed by `pip install .`),
or `python -m addon serve|sync ...` in a checkout.

Exit status: 0 success, 1 a run-time failure (or notes that failed), 2 bad usage.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from . import __version__
from .core.config import Config, ConfigError, load_config_file
from .sync.folder import folder_problem
from .sync.options import sync_options
from .sync.summary import SyncSummary

if TYPE_CHECKING:
    from .api.service_status import ServiceStatus
    from .store.runner import LockedCollection
    from .sync.watcher import FolderWatcher

EXIT_FAILED = 1
EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port must be from 0 to 65535, got {port}")
    return port


def _extra_port(text: str) -> int | None:
    return None if text == "off" else _port(text)


def _sync_arguments(parser: argparse.ArgumentParser, vaults: bool = False) -> None:
    # `sync --adopt` and `adopt` name note types; only `sync` has --dry-run
    parser.set_defaults(adopt=[], vault=[], dry_run=False)
    parser.add_argument(
        "--folder", required=not vaults, type=Path, metavar="DIR",
        help="folder of Markdown deck files",
    )  # fmt: skip
    if vaults:
        parser.add_argument(
            "--vault", action="append", type=Path, metavar="DIR",
            help="folder of notes whose marked blocks are cards (repeatable)",
        )  # fmt: skip
    parser.add_argument(
        "--collection",
        type=Path,
        metavar="PATH",
        help="collection file (.anki2) to open when no server answers; created if it "
        "does not exist",
    )
    parser.add_argument("--port", type=_port, help="the add-on's server port (default 8766)")
    parser.add_argument(
        "--json", action="store_true", help="print one JSON object with counts and errors"
    )
    parser.add_argument(
        "--yes",
        action="store_true",
        help="confirm deletions above max_delete_share and note type changes that need "
        "a full AnkiWeb upload",
    )
    parser.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help="JSON settings in the add-on's config.json format",
    )


def build_parser() -> argparse.ArgumentParser:
    installed = Path(sys.argv[0]).name.startswith("context-connect")
    parser = _Parser(
        prog="context-connect" if installed else "python -m addon",
        description="Context Connect without Anki's window: serve the flashcard API "
        "or sync a Markdown folder with a collection file.",
    )
    parser.add_argument("--version", action="version", version=f"Context Connect {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser(
        "serve",
        help="serve the HTTP API (native /v1 and AnkiConnect) on a collection file",
        description="Serve the HTTP API on a collection file until Ctrl+C.",
    )
    serve.add_argument(
        "--collection",
        required=True,
        type=Path,
        metavar="PATH",
        help="collection file (.anki2); created if it does not exist",
    )
    serve.add_argument(
        "--folder", type=Path, metavar="DIR", help="Markdown folder to keep in sync while serving"
    )
    serve.add_argument(
        "--vault", action="append", default=[], type=Path, metavar="DIR",
        help="vault of notes to keep in sync while serving (repeatable)",
    )  # fmt: skip
    serve.add_argument("--port", type=_port, help="TCP port (default 8766; 0 picks a free one)")
    serve.add_argument(
        "--anki-connect-port",
        type=_extra_port,
        metavar="PORT|off",
        default=argparse.SUPPRESS,
        help="also answer as AnkiConnect here while the port is free (default 8765)",
    )
    serve.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    serve.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help="JSON settings in the add-on's config.json format",
    )

    sync = commands.add_parser(
        "sync",
        help="sync a folder of Markdown deck files, and vaults, with the collection, both ways",
        description="Two-way sync of a Markdown folder and/or vaults of notes and the "
        "collection: through the running Anki (the add-on's server) when it answers, else "
        "on the collection file.",
    )
    _sync_arguments(sync, vaults=True)
    sync.add_argument(
        "--dry-run",
        action="store_true",
        help="change nothing: say what a sync would do to each note, and why",
    )
    sync.add_argument(
        "--adopt",
        action="append",
        default=[],
        metavar="NOTETYPE",
        help="first adopt this note type of the collection (repeatable): see `adopt`",
    )
    adopt = commands.add_parser(
        "adopt",
        help="bring note types the collection already has into the folder, then sync",
        description="Write note_type.yaml for each note type named (labels made from its "
        "field names), then sync: its notes are written into deck files and kept in sync "
        "both ways, keyed by their Anki guid, with their fields and reviews untouched.",
    )
    adopt.add_argument("adopt", nargs="+", metavar="NOTETYPE", help="note type name in Anki")
    _sync_arguments(adopt)
    export = commands.add_parser(
        "export-json",
        help="sync, then write the folder's notes (or some decks') as one JSON document",
        description="Sync, then write every note (key, note type, deck, tags, fields as "
        "Markdown) as one JSON document, for a script or an LLM to edit; import-json "
        "applies the edited document.",
    )
    export.add_argument("--deck", action="append", default=[], metavar="DECK",
                        help="only this deck and its subdecks (repeatable)")  # fmt: skip
    export.add_argument("--output", type=Path, metavar="FILE", help="write here, not to stdout")
    _sync_arguments(export)
    imports = commands.add_parser(
        "import-json",
        help="apply an edited export-json document to the files, then sync",
        description="Apply an edited export-json document: fields it changed are written "
        "to the deck files (a field also changed in the file since the export keeps both, "
        "as a conflict), notes without a key are added, nothing is deleted; then sync.",
    )
    imports.add_argument("document", type=Path, metavar="FILE", help="the edited document")
    _sync_arguments(imports)
    return parser


def _fail(message: str, status: int = EXIT_FAILED) -> int:
    print(f"error: {message}", file=sys.stderr)
    return status


def _config(args: argparse.Namespace) -> Config:
    config = load_config_file(args.config) if args.config else Config()
    if getattr(args, "host", None):
        config = replace(config, host=args.host)
    if getattr(args, "port", None) is not None:
        config = replace(config, port=args.port)
    if "anki_connect_port" in args:
        config = replace(config, anki_connect_port=args.anki_connect_port)
    return config


def _watch(
    folder: Path, runner: LockedCollection, config: Config, status: ServiceStatus,
    vault: bool = False,
) -> FolderWatcher:  # fmt: skip
    """Sync the folder (or vault) now, then again whenever a file in it is saved."""
    from .api.service_status import FOLDER, VAULT, LastSync
    from .store.anki_compat import anki_reports_on_stderr
    from .sync.engine import sync_through
    from .sync.vault import note_files
    from .sync.watcher import FolderWatcher, deck_folder_files

    kind = VAULT if vault else FOLDER

    def sync_now() -> set[Path]:
        try:
            with anki_reports_on_stderr():
                result = sync_through(runner, folder, sync_options(config), vault=vault)
        except Exception as exc:
            status.record(kind, folder, LastSync.failed(f"failed: {exc}"))
            raise
        status.record(kind, folder, LastSync.of(result.summary))
        print(f"Synced {folder}:\n{result.summary.text()}", flush=True)
        return result.written

    sync_now()
    watcher = FolderWatcher(folder, sync_now, listing=note_files if vault else deck_folder_files)
    watcher.start()
    print(f"Watching {folder}: saving a file syncs it", flush=True)
    return watcher


def serve(args: argparse.Namespace) -> int:
    from .api.app import Application
    from .api.context import ApiContext
    from .api.service_status import FOLDER, VAULT, ServiceStatus
    from .server import ContextServer, ServerStartError
    from .store.anki_compat import anki_reports_on_stderr
    from .store.collection import CollectionOpenError, open_collection
    from .store.runner import LockedCollection

    try:
        config = _config(args)
    except ConfigError as exc:
        return _fail(str(exc), EXIT_USAGE)
    vaults = args.vault or [Path(v).expanduser() for v in config.vaults]
    folders = [args.folder] if args.folder else []
    for folder in [*folders, *vaults]:
        if problem := folder_problem(folder):
            return _fail(problem, EXIT_USAGE)
    try:
        with anki_reports_on_stderr():
            col = open_collection(args.collection)
    except CollectionOpenError as exc:
        return _fail(str(exc))
    runner = LockedCollection(col, profile=args.collection.stem)
    status = ServiceStatus()
    try:
        server = ContextServer(config, Application(ApiContext(config, runner, status=status)))
    except ServerStartError as exc:
        runner.close()
        return _fail(str(exc))

    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    watchers = [_watch(folder, runner, config, status) for folder in folders]
    watchers += [_watch(vault, runner, config, status, vault=True) for vault in vaults]
    status.track(FOLDER, folders, watched=folders)
    status.track(VAULT, vaults, watched=vaults)
    server.start()
    url = server.listening.address.rstrip("/")
    print(f"Context Connect {__version__} serving {args.collection} on {url}", flush=True)
    if server.anki_connect_port is not None:
        print(f"  and as AnkiConnect on port {server.anki_connect_port}", flush=True)
    print(f"  status:  curl {url}/v1/status", flush=True)
    card = '{"id": "demo-1", "front": "What is 2+2?", "back": "4", "tags": ["deck:demo/maths"]}'
    print(f"  add a card:  curl {url}/v1/cards -d '{card}'", flush=True)
    print(
        f'  AnkiConnect:  curl {url} -d \'{{"action": "version", "version": 6}}\'',
        flush=True,
    )
    print("Press Ctrl+C to stop.", flush=True)
    try:
        stop.wait()
    finally:
        for watcher in watchers:
            watcher.stop()
        server.stop()
        with anki_reports_on_stderr():
            runner.close()
    print("stopped", flush=True)
    return 0


def _print_summary(summary: SyncSummary, as_json: bool) -> None:
    if as_json:
        print(json.dumps(summary.to_json(), ensure_ascii=False, indent=2))
    else:
        print(summary.text())
        if summary.stopped:
            print("Run again with --yes to go ahead.")


def _sync_file(args: argparse.Namespace, config: Config, folder: Path, vault: bool) -> SyncSummary:
    from .store.anki_compat import anki_reports_on_stderr
    from .store.collection import open_collection
    from .sync.adopt import adopt_note_types
    from .sync.engine import sync_folder, sync_vault

    with anki_reports_on_stderr():
        col = open_collection(args.collection)
        try:
            adopted = adopt_note_types(col, folder, args.adopt) if args.adopt else []
            run = sync_vault if vault else sync_folder
            options = sync_options(config, args.yes, args.dry_run)
            summary = run(col, folder, options).summary
        finally:
            col.close()
    summary.note_types += [f"{name}: adopted" for name in adopted]
    return summary


class _Failed(Exception):
    """A message for stderr, and the exit status."""

    def __init__(self, message: str, status: int = EXIT_FAILED) -> None:
        super().__init__(message)
        self.status = status


def _synced(
    args: argparse.Namespace, folder: Path | None = None, vault: bool = False
) -> SyncSummary:
    """Sync `folder` (the deck folder given, or a vault) through the add-on's server when
    one answers (Anki is running: it must be the one writer), else on the collection
    file."""
    folder = folder or args.folder
    from .store.collection import CollectionOpenError
    from .sync.adopt import AdoptError
    from .sync.folder import NoteTypesInvalid
    from .sync.remote import RemoteSyncError, sync_through_server

    try:
        config = _config(args)
    except ConfigError as exc:
        raise _Failed(str(exc), EXIT_USAGE) from exc
    if problem := folder_problem(folder):
        raise _Failed(problem, EXIT_USAGE)
    try:
        summary = sync_through_server(
            config, folder, args.yes, args.collection, args.adopt, vault,
            args.dry_run,
        )  # fmt: skip
        if summary is None and args.collection is None:
            raise _Failed(
                f"no Context Connect server answers on port {config.port} (start Anki with "
                "the add-on, or `serve`), and no --collection file was given to open"
            )
        if summary is None:
            return _sync_file(args, config, folder, vault)
    except (RemoteSyncError, CollectionOpenError, AdoptError, NoteTypesInvalid) as exc:
        raise _Failed(str(exc)) from exc
    if not getattr(args, "json", False):
        print(f"Synced through the server on port {config.port}.", file=sys.stderr)
    return summary


def sync(args: argparse.Namespace) -> int:
    """The deck folder, then each vault (given, or the config's); one summary each."""
    try:
        vaults = args.vault or [Path(v).expanduser() for v in _config(args).vaults]
    except ConfigError as exc:
        raise _Failed(str(exc), EXIT_USAGE) from exc
    sources = [(args.folder, False)] if args.folder else []
    sources += [(vault, True) for vault in vaults]
    if not sources:
        raise _Failed("name what to sync: --folder DIR, --vault DIR, or both", EXIT_USAGE)
    if args.adopt and not args.folder:
        raise _Failed("--adopt brings note types into a deck folder: give --folder", EXIT_USAGE)
    if args.adopt and args.dry_run:
        raise _Failed("--adopt writes note types into the folder: not with --dry-run", EXIT_USAGE)
    results = [(path, vault, _synced(args, path, vault)) for path, vault in sources]
    if len(results) == 1:
        _print_summary(results[0][2], args.json)
    elif args.json:
        syncs = [
            {"source": str(path), "kind": "vault" if vault else "folder", **summary.to_json()}
            for path, vault, summary in results
        ]
        print(json.dumps({"syncs": syncs}, ensure_ascii=False, indent=2))
    else:
        for path, vault, summary in results:
            print(f"{'Vault' if vault else 'Folder'} {path}:")
            _print_summary(summary, as_json=False)
    return 0 if all(summary.ok for _, _, summary in results) else EXIT_FAILED


def export_json(args: argparse.Namespace) -> int:
    """Sync first, so that every note has its key; then write the document."""
    from .sync.notes_json import export_notes

    summary = _synced(args)
    if not summary.ok:
        print(summary.text(), file=sys.stderr)
    document, problems = export_notes(args.folder, args.deck)
    for problem in problems:
        print(f"left out: {problem}", file=sys.stderr)
    text = json.dumps(document, ensure_ascii=False, indent=1) + "\n"
    if args.output is None:
        sys.stdout.write(text)
    else:
        try:
            args.output.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise _Failed(f"{args.output}: cannot write: {exc.strerror or exc}") from exc
    return 0 if summary.ok else EXIT_FAILED


def import_json(args: argparse.Namespace) -> int:
    """Apply the document to the files, then sync them to Anki."""
    from .core.notes_document import DocumentError
    from .sync.files import ChangedMeanwhile
    from .sync.folder import NoteTypesInvalid
    from .sync.notes_json import import_notes

    if problem := folder_problem(args.folder):
        raise _Failed(problem, EXIT_USAGE)
    try:
        data = json.loads(args.document.read_text(encoding="utf-8"))
    except OSError as exc:
        raise _Failed(f"{args.document}: cannot read: {exc.strerror or exc}", EXIT_USAGE) from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise _Failed(f"{args.document}: not valid JSON: {exc}", EXIT_USAGE) from exc
    try:
        result = import_notes(args.folder, data)
    except DocumentError as exc:
        problems = "\n  ".join(exc.problems)
        raise _Failed(f"{args.document}: nothing imported:\n  {problems}") from exc
    except (NoteTypesInvalid, ChangedMeanwhile) as exc:
        raise _Failed(f"nothing imported: {exc}") from exc
    print(
        f"Imported into the files: {result.updated} updated, {result.created} added, "
        f"{len(result.conflicts)} conflicts kept",
        file=sys.stderr,
    )
    for line in result.conflicts + result.warnings:
        print(f"  {line}", file=sys.stderr)
    return sync(args)


# `adopt` is a sync that adopts first.
COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "serve": serve, "sync": sync, "adopt": sync, "export-json": export_json,
    "import-json": import_json,
}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except _Failed as exc:
        return _fail(str(exc), exc.status)


if __name__ == "__main__":
    sys.exit(main())
