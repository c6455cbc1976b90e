"""A test-only add-on that drives real Anki from the outside.

It talks to the test through files in $CC_E2E_DIR: it writes `state.json` when a
profile has opened, obeys `command` files (`install <path>`, `inspect`, `trigger
<Tools action>`, `undo`, `notes`, `ops`, `tick <window> <item>`, `accept <window>`,
`config <json>`, `windows`, `click <window> <button text>`, `select <window> <text>` (the
first line of the window's list that starts with the text), `shot <window> <png path>`,
`night <on|off>`, `close`, `quit`) and writes `done-<command>` after each (after `undo`:
once Edit ▸ Undo has finished).
Everything it does goes through Anki's own code.
"""

import json
import os
from pathlib import Path

from aqt import gui_hooks, mw
from aqt.addons import installAddonPackages
from aqt.qt import QAbstractButton, QLabel, QListWidget, QMessageBox, QTimer

DIR = Path(os.environ["CC_E2E_DIR"])


def _write(name, data):
    tmp = DIR / (name + ".tmp")
    tmp.write_text(json.dumps(data))
    tmp.replace(DIR / name)


def _state():
    return {
        "profile": mw.pm.name,
        "tools_menu": [a.text() for a in mw.form.menuTools.actions()],
        "addons": sorted(mw.addonManager.allAddons()),
    }


def _windows():
    found = []
    for widget in mw.app.topLevelWidgets():
        if not widget.isVisible():
            continue
        info = {
            "name": widget.objectName(),
            "title": widget.windowTitle(),
            "class": type(widget).__name__,
        }
        if isinstance(widget, QMessageBox):
            info["text"] = widget.text() + "\n" + widget.informativeText()
            info["default"] = widget.defaultButton().text() if widget.defaultButton() else None
        info["buttons"] = [b.text() for b in widget.findChildren(QAbstractButton) if b.isVisible()]
        info["labels"] = [lbl.text() for lbl in widget.findChildren(QLabel) if lbl.isVisible()]
        info["lists"] = [
            [lst.item(i).text() for i in range(lst.count())]
            for lst in widget.findChildren(QListWidget)
            if lst.isVisible()
        ]
        found.append(info)
    return found


def _window(name):
    if name == "progress" and mw.progress._win is not None:
        return mw.progress._win
    if name == "tooltip":
        import aqt.utils

        if aqt.utils._tooltipLabel is not None:
            return aqt.utils._tooltipLabel
    for widget in mw.app.topLevelWidgets():
        if widget.isVisible() and widget.objectName() == name:
            return widget
    raise LookupError(name)


def _run(command):
    verb, _, arg = command.partition(" ")
    if verb == "install":
        ok = installAddonPackages(mw.addonManager, [arg], parent=mw)
        _write("done-install", {"ok": bool(ok), "addons": sorted(mw.addonManager.allAddons())})
    elif verb == "inspect":
        _write(
            "done-inspect",
            {
                "undo": mw.col.undo_status().undo,
                "notes": mw.col.note_count(),
                "decks": sorted(d.name for d in mw.col.decks.all_names_and_ids()),
            },
        )
    elif verb == "trigger":
        (action,) = [a for a in mw.form.menuTools.actions() if a.objectName() == arg]
        action.trigger()
        _write("done-trigger", {})
    elif verb == "undo":
        from aqt.operations import CollectionOp

        # What Edit ▸ Undo runs, waited for.
        CollectionOp(mw, lambda col: col.undo()).success(
            lambda out: _write("done-undo", {"undone": out.operation})
        ).run_in_background()
    elif verb == "notes":
        notes = [mw.col.get_note(i) for i in mw.col.find_notes("")]
        _write(
            "done-notes",
            {
                "undo": mw.col.undo_status().undo,
                "fields": [dict(n.items()) for n in notes],
                "windows": [w.objectName() for w in mw.app.topLevelWidgets() if w.isVisible()],
            },
        )
    elif verb in ("tick", "accept"):
        name, _, item_text = arg.partition(" ")
        (window,) = [w for w in mw.app.topLevelWidgets() if w.objectName() == name]
        if verb == "tick":
            from aqt.qt import Qt

            items = window.findChild(QListWidget)
            (item,) = items.findItems(item_text, Qt.MatchFlag.MatchExactly)
            item.setCheckState(Qt.CheckState.Checked)
        else:
            window.accept()
        _write("done-" + verb, {})
    elif verb == "ops":
        _write("done-ops", dict(_ops))
    elif verb == "config":
        # As Anki's JSON editor saves: write the config, then call the add-on's action.
        (addon,) = [a for a in mw.addonManager.allAddons() if a.startswith("context_connect")]
        new = json.loads(arg)
        mw.addonManager.writeConfig(addon, new)
        mw.addonManager.configUpdatedAction(addon)(new)
        _write("done-config", {})
    elif verb == "windows":
        _write("done-windows", {"windows": _windows()})
    elif verb == "click":
        name, _, text = arg.partition(" ")
        try:
            window = _window(name)
        except LookupError:
            _write("done-click", {"ok": False})
            return
        (button,) = [b for b in window.findChildren(QAbstractButton) if b.text() == text]
        _write("done-click", {"ok": True})
        button.click()
    elif verb == "select":
        name, _, text = arg.partition(" ")
        (items,) = [lst for lst in _window(name).findChildren(QListWidget) if lst.isVisible()]
        lines = [items.item(i) for i in range(items.count())]
        found = [line for line in lines if line.text().startswith(text)]
        if found:
            items.setCurrentItem(found[0])
        _write("done-select", {"ok": bool(found), "current": items.currentRow()})
    elif verb == "shot":
        name, _, path = arg.partition(" ")
        window = mw if name == "main" else _window(name)
        mw.app.processEvents()
        ok = window.grab().save(path)
        _write("done-shot", {"ok": ok, "size": [window.width(), window.height()]})
    elif verb == "night":
        from aqt.theme import Theme

        mw.set_theme(Theme.DARK if arg == "on" else Theme.LIGHT)
        if mw.state == "review":
            mw.reviewer._redraw_current_card()
        _write("done-night", {})
    elif verb == "close":
        mw.unloadProfile(lambda: _write("done-close", {"col": mw.col is None}))
    elif verb == "quit":
        _timer.stop()
        mw.cleanupAndExit()


def _poll():
    command_file = DIR / "command"
    if command_file.exists():
        command = command_file.read_text().strip()
        command_file.unlink()
        _run(command)


def _on_open():
    # Deferred so that every add-on's own profile_did_open hook has run first.
    QTimer.singleShot(200, lambda: _write("state.json", _state()))


# How often Anki's views were told of note changes (each time the screen re-renders).
_ops = {"note_changes": 0, "main_state": ""}


def _count(changes, handler):
    _ops["main_state"] = mw.state
    if changes.note_text:
        _ops["note_changes"] += 1


gui_hooks.operation_did_execute.append(_count)

_timer = QTimer()
_timer.timeout.connect(_poll)
_timer.start(100)
gui_hooks.profile_did_open.append(_on_open)
