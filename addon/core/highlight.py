"""Syntax highlighting for fenced code, as static HTML spans styled by `web/card.css`.

Cards are shown on AnkiMobile and AnkiDroid too, with no network and no add-on, so
the colours must already be in the field's HTML. A small lexer covers what matters
on a flashcard (comments, strings, numbers, keywords) for common languages; other
languages are shown plain.
"""

from __future__ import annotations

import html
import re

_KEYWORDS = {
    "python": "and as assert async await break class continue def del elif else except False "
    "finally for from global if import in is lambda None nonlocal not or pass raise return "
    "True try while with yield match case",
    "javascript": "async await break case catch class const continue debugger default delete do "
    "else export extends false finally for function if import in instanceof let new null "
    "return super switch this throw true try typeof undefined var void while yield of",
    "c": "auto break case char const continue default do double else enum extern float for goto "
    "if int long register return short signed sizeof static struct switch typedef union "
    "unsigned void volatile while bool true false class public private protected template "
    "typename namespace using new delete nullptr virtual override",
    "java": "abstract boolean break byte case catch char class continue default do double else "
    "enum extends final finally float for if implements import instanceof int interface long "
    "new null package private protected public return short static super switch this throw "
    "throws true false try void while var record",
    "rust": "as break const continue crate else enum extern false fn for if impl in let loop "
    "match mod move mut pub ref return self Self static struct super trait true type unsafe "
    "use where while async await dyn",
    "go": "break case chan const continue default defer else fallthrough for func go goto if "
    "import interface map package range return select struct switch type var true false nil",
    "bash": "if then else elif fi case esac for while until do done in function return local "
    "export echo exit",
    "sql": "select from where insert into values update set delete create table drop alter and "
    "or not null join left right inner outer on group by order having limit as distinct union",
}
_ALIASES = {
    "py": "python", "js": "javascript", "ts": "javascript", "typescript": "javascript",
    "jsx": "javascript", "tsx": "javascript", "cpp": "c", "c++": "c", "h": "c", "cs": "java",
    "csharp": "java", "kotlin": "java", "rs": "rust", "golang": "go", "sh": "bash",
    "shell": "bash", "zsh": "bash", "console": "bash",
}  # fmt: skip
_HASH_COMMENTS = {"python", "bash"}
_SQL_COMMENTS = {"sql"}


def language(info: str | None) -> str | None:
    name = (info or "").strip().split(" ")[0].lower()
    name = _ALIASES.get(name, name)
    return name if name in _KEYWORDS else None


def _lexer(lang: str) -> re.Pattern[str]:
    comment = (
        r"#[^\n]*"
        if lang in _HASH_COMMENTS
        else r"--[^\n]*"
        if lang in _SQL_COMMENTS
        else r"//[^\n]*|/\*.*?(?:\*/|\Z)"
    )
    words = "|".join(sorted(_KEYWORDS[lang].split(), key=len, reverse=True))
    flags = re.DOTALL | (re.IGNORECASE if lang == "sql" else 0)
    # A string or comment left open runs to the end of its line (or of the code), as an
    # editor shows it: a pattern that needs the closing quote rescans the rest of the
    # text from every unclosed one, which is quadratic.
    return re.compile(
        rf"(?P<c>{comment})"
        r"|(?P<s>\"\"\".*?(?:\"\"\"|\Z)|'''.*?(?:'''|\Z)|\"(?:\\.|[^\"\\\n])*\"?"
        r"|'(?:\\.|[^'\\\n])*'?|`(?:\\.|[^`\\])*`?)"
        r"|(?P<n>\b\d[\d_]*(?:\.\d+)?(?:[eE][+-]?\d+)?\b)"
        rf"|(?P<k>\b(?:{words})\b)",
        flags,
    )


_CLASSES = {"c": "cc-c", "s": "cc-s", "n": "cc-n", "k": "cc-k"}


def highlight(code: str, info: str | None) -> str:
    """`<pre class="cc-code" data-lang=...><code>` with coloured spans; the text content
    is exactly `code`, so the Markdown writer can recover it."""
    lang = language(info)
    label = (info or "").strip().split(" ")[0]
    attrs = f' data-lang="{html.escape(label)}"' if label else ""
    if lang is None:
        body = html.escape(code, quote=False)
    else:
        parts: list[str] = []
        position = 0
        for match in _lexer(lang).finditer(code):
            parts.append(html.escape(code[position : match.start()], quote=False))
            kind = match.lastgroup or "k"
            parts.append(
                f'<span class="{_CLASSES[kind]}">{html.escape(match.group(0), quote=False)}</span>'
            )
            position = match.end()
        parts.append(html.escape(code[position:], quote=False))
        body = "".join(parts)
    return f'<pre class="cc-code"{attrs}><code>{body}</code></pre>'
