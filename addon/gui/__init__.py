"""Everything that needs Anki's window: the only package that imports `aqt`."""

from __future__ import annotations

from aqt import gui_hooks, mw

from .lifecycle import ServerLifecycle
from .menu import add_tools_action


def setup(module: str) -> None:
    """Called once, when Anki loads add-ons; `module` is our add-on folder's name."""
    assert mw is not None
    lifecycle = ServerLifecycle(mw, module)
    gui_hooks.profile_did_open.append(lifecycle.start)
    gui_hooks.profile_will_close.append(lifecycle.stop)
    add_tools_action(mw, module)
