"""Everything that needs Anki's window: the only package that imports `aqt`."""

from __future__ import annotations

from aqt import gui_hooks, mw

from .controller import ContextConnect
from .menu import add_tools_actions


def setup(module: str) -> None:
    """Called once, when Anki loads add-ons; `module` is our add-on folder's name."""
    assert mw is not None
    addon = ContextConnect(mw, module)
    gui_hooks.profile_did_open.append(addon.profile_opened)
    gui_hooks.profile_will_close.append(addon.profile_closing)
    mw.addonManager.setConfigAction(module, addon.open_settings)
    mw.addonManager.setConfigUpdatedAction(module, addon.config_updated)
    add_tools_actions(mw, addon)
