"""Context Connect inside Anki: the server, the folder sync and the settings, kept in
step with the config. A config change (from our settings dialog or Anki's JSON editor)
is checked at once and applied at once: the server restarts, the watcher re-arms."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aqt.main import AnkiQt
from aqt.utils import tooltip

from ..api.service_status import ServiceStatus
from ..core.config import Config, ConfigError, parse_config
from .folder_sync import FolderSync
from .lifecycle import ServerLifecycle
from .notify import TITLE, Notices
from .settings_dialog import SettingsDialog
from .vault_sync import VaultSync

CONFIG_SOURCE = "settings"
LEGACY_PROFILE_KEY = "context_connect_markdown_folder"
TOPIC = "config"


class ContextConnect:
    def __init__(self, mw: AnkiQt, module: str) -> None:
        self.mw = mw
        self.module = module
        self.notices = Notices(mw, self.open_settings)
        self.status = ServiceStatus()
        self.server = ServerLifecycle(mw, module, self.notices, self.status)
        self.folder_sync = FolderSync(
            mw, self.config, self.save_folder, self.notices, self.status
        )
        self.vault_sync = VaultSync(mw, self.config, self.status)

    # -- config ----------------------------------------------------------------

    def raw_config(self) -> dict[str, Any]:
        return dict(self.mw.addonManager.getConfig(self.module) or {})

    def config(self, raw: dict[str, Any] | None = None) -> Config | None:
        """The settings, or None after telling the user what is wrong with them."""
        try:
            config = parse_config(self.raw_config() if raw is None else raw, CONFIG_SOURCE)
        except ConfigError as exc:
            problems = "\n".join(f"• {problem}" for problem in exc.problems)
            self.notices.report(
                TOPIC,
                "the settings need fixing",
                f"{problems}\n\nFix them in Tools ▸ Context Connect… ▸ Edit as JSON. Until "
                "then the local server is stopped and the folder is not synced.",
            )
            return None
        self.notices.clear(TOPIC)
        return config

    def write_config(self, raw: dict[str, Any]) -> None:
        self.mw.addonManager.writeConfig(self.module, raw)
        self.config_updated(raw)

    def save_folder(self, folder: Path) -> None:
        self.mw.addonManager.writeConfig(
            self.module, {**self.raw_config(), "markdown_folder": str(folder)}
        )

    def config_updated(self, raw: dict[str, Any]) -> None:
        """Anki's config-updated action: the JSON editor saved `raw`."""
        config = self.config(raw)
        if self.mw.col is None:
            return
        self.server.start(config)
        self.folder_sync.rearm(config)
        self.vault_sync.rearm(config)
        if config is not None:
            tooltip(f"{TITLE}: settings applied; the server {self.server.state}.", parent=self.mw)

    # -- profile hooks ---------------------------------------------------------

    def profile_opened(self) -> None:
        self._move_profile_folder()
        config = self.config()
        self.server.start(config)
        self.folder_sync.profile_opened(config)
        self.vault_sync.profile_opened(config)

    def _move_profile_folder(self) -> None:
        """Earlier versions kept a chosen folder in the profile, where it came back
        after the config key was cleared: it moves to the config once, and is gone."""
        profile = self.mw.pm.profile
        chosen = profile.pop(LEGACY_PROFILE_KEY, None) if profile is not None else None
        if isinstance(chosen, str) and chosen and not self.raw_config().get("markdown_folder"):
            self.save_folder(Path(chosen))

    def profile_closing(self) -> None:
        self.folder_sync.profile_closing()
        self.vault_sync.profile_closing()
        self.server.stop()

    # -- windows ---------------------------------------------------------------

    def open_settings(self) -> bool:
        SettingsDialog.show_for(self)
        return True
