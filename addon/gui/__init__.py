"""Everything that needs Anki's window: the only package that imports `aqt`."""

from __future__ import annotations

from aqt import gui_hooks, mw

from .folder_sync import FolderSync
from .lifecycle import ServerLifecycle
from .menu import add_tools_action


def setup(module: str) -> None:
    """Called once, when Anki loads add-ons; `module` is our add-on folder's name."""
    assert mw is not None
    lifecycle = ServerLifecycle(mw, module)
    gui_hooks.profile_did_open.append(lifecycle.start)
    gui_hooks.profile_will_close.append(lifecycle.stop)
    folder_sync = FolderSync(mw, module)
    gui_hooks.profile_did_open.append(folder_sync.profile_opened)
    gui_hooks.profile_will_close.append(folder_sync.profile_closing)
    add_tools_action(mw, folder_sync)
