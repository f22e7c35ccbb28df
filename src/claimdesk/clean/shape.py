"""What a line looks like: prose, a headline, a menu entry, a section marker.

The cleaner only sees text, so it judges lines by their shape. These are short pure
functions over one line; the decisions that combine them live in ``chrome.py``.
"""

from __future__ import annotations

import re
from functools import lru_cache

_WORD = re.compile(r"\w+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_SEPARATOR = re.compile(r"[,|•·/]")
_SENTENCE_END = re.compile(r"[.!?。！？]\s")
_TERMINAL = re.compile(r"""[.!?…。！？:;]["'”’»)\]]*$""")


@lru_cache(maxsize=8192)  # every rule asks about the same few lines: measure each once
def word_count(line: str) -> int:
    """Words, counting two CJK characters as one word (they are not space-separated)."""
    if not _CJK.search(line):
        return len(_WORD.findall(line))
    cjk = len(_CJK.findall(line))
    return len(_WORD.findall(_CJK.sub(" ", line))) + cjk // 2


@lru_cache(maxsize=8192)
def is_prose(line: str) -> bool:
    """A line that reads as a sentence: enough words and a sentence end, or long with sentences inside.

    Keyword lists and tag clouds are long too, but have no sentence end, or a separator
    every few words.
    """
    words = word_count(line)
    if words < 6 or len(_SEPARATOR.findall(line)) * 3 >= words:
        return False
    return bool(_TERMINAL.search(line)) or (words >= 25 and bool(_SENTENCE_END.search(line)))


def is_shouting(line: str) -> bool:
    """ALL-CAPS lines of several words: teaser links and banners, rarely prose."""
    return line.isupper() and word_count(line) >= 3 and sum(c.isalpha() for c in line) >= 12


# A section that, once it starts after the article, holds no more of it.
_TAIL_MARKER = re.compile(
    r"""^(?:\d+\s+)?(?:
        comments?|all\s+comments|top\s+rated\s+comments|show\s+comments|view\s+comments|
        leave\s+a\s+(?:comment|reply|review)|post\s+a\s+comment|add\s+a\s+comment|join\s+the\s+(?:discussion|conversation)|
        \d*\s*responses?|reader\s+comments|discussion|
        you\s+(?:may|might)\s+also\s+(?:like|enjoy)|recommended(?:\s+for\s+you|\s+stories|\s+reading)?|
        related\s+(?:stories|articles|posts|content|coverage|news)|more\s+(?:stories|news|from\s+.{1,40})|
        about\s+the\s+author|
        comentários|comentarios|commentaires|kommentare|commenti|reacties|комментарии|댓글
    )\s*[:.\-–—|…]*\s*(?:\(\d+\))?\s*$""",
    re.IGNORECASE | re.VERBOSE,
)

# The heading of a box of links set into the page: the headlines under it go with it.
_WIDGET_HEADING = re.compile(
    r"""^(?:related|more|read\s+more|see\s+more|see\s+also|also\s+read|don'?t\s+miss|
        (?:most\s+)?(?:popular|read|viewed|shared|watched)(?:\s+(?:now|today|on|in)\b.{0,40})?|most\s+read(?:\s+in\s+.{1,40})?|
        trending(?:\s+now)?|top\s+stories|latest(?:\s+news|\s+stories)?|editor'?s\s+picks?|in\s+other\s+news|
        elsewhere\s+on\s+.{1,40})\s*[:.\-–—|…]*\s*$""",
    re.IGNORECASE | re.VERBOSE,
)

# A line that points elsewhere: "Related: ...", "READ MORE: ...", "Also on rt.com ...".
_TEASER = re.compile(
    r"""^[\[(]?\s*(?:related(?:\s+(?:post|story|article|content))?|read\s+more|read\s+also|see\s+more|see\s+also|more|also|
        also\s+(?:on|read|see)\b.*?|don'?t\s+miss|watch|listen|recommended|click\s+here\b.*?|get\s+the\b.*?\bapp\b.*?)
        \s*(?::|\||-|–|—|\s)""",
    re.IGNORECASE | re.VERBOSE,
)

# Site furniture that can stand anywhere on a page: the line itself goes, nothing after it.
_FURNITURE = re.compile(
    r"""^(?:advertisement|sponsored(?:\s+content)?|share(?:\s+this(?:\s+(?:article|story|post))?)?|social|
        follow\s+us.*|tags?|filed\s+under.*|news\s+line|print|email|menu|search|home|log\s*in|sign\s+in)\s*[:.\-–—|]*\s*$""",
    re.IGNORECASE | re.VERBOSE,
)

# Lines that are the site talking about itself.
_SELF_PROMO = re.compile(
    r"""(?:©|\(c\)\s*\d{4}|\bcopyright\b|all\s+rights\s+reserved|\bsubscribe\b|\bnewsletters?\b|\bsign\s+up\b|
        \bfollow\s+(?:us|him|her|them|the\b.{0,40})\s+on\b|\bclick\s+here\b|\bshare\s+(?:this|on)\b|
        \bcookies?\b.*\b(?:consent|policy|accept)|\bprivacy\s+policy\b|\bterms\s+of\s+(?:use|service)\b|
        \bdownload\s+(?:our|the)\s+app\b|\breading\s+time\b|tempo\s+de\s+leitura|\bmin(?:ute)?s?\s+read\b)""",
    re.IGNORECASE | re.VERBOSE,
)

# A prompt to pass the page on: whole short lines only ("Like this story? Share it with a friend!").
_SHARE_PROMPT = re.compile(
    r"""^(?:(?:did\s+you\s+)?(?:like|liked|enjoy|enjoyed|love|loved)\s+this\s+(?:story|article|post|piece|video)\s*\?\s*)?
        (?:(?:please\s+)?share\s+(?:it|this|the\s+(?:story|article)|on|via|with)\b.*|
        follow\s+(?:us|\S+)\s+on\s+.+|(?:like|liked|enjoy|enjoyed|love|loved)\s+this\s+(?:story|article|post|piece|video)\s*\?)$""",
    re.IGNORECASE | re.VERBOSE,
)
# A pop-up box of a linked name, read inline: the name's link text, glued (no space) to the box's
# own heading that repeats the name, then its headlines, up to its "MORE" link; the sentence goes on
# after it ("Gov. Kristi NoemKristi Lynn NoemSouth Dakota governor doubles down ... MORE (R) is ...").
_GLUE = re.compile(r"(?<=[a-z])(?=[A-Z])")
_BOX_END = re.compile(r"\s(?:MORE|More|Read more|READ MORE)(?:\s*[»›>])?(?=\s)")
MAX_BOX_CHARS = 1000  # a box holds a name and a few headlines; a "MORE" further on is not its end

_CREDIT = re.compile(r"^\(?\s*(?:additional\s+)?(?:reporting|writing|editing)\s+by\b", re.IGNORECASE)


def is_tail_marker(line: str) -> bool:
    return word_count(line) <= 8 and bool(_TAIL_MARKER.match(line))


def is_widget_heading(line: str) -> bool:
    return word_count(line) <= 8 and bool(_WIDGET_HEADING.match(line))


def is_teaser(line: str, shouted_words: int | None = 0) -> bool:
    """A link to another story set into the text; prose that merely starts with "More" is not one.

    A line in capitals that is not a sentence counts too (a teaser headline) when it has at least
    ``shouted_words`` words; ``None``: never.
    """
    return bool(_TEASER.match(line)) and word_count(line) <= 25 and not line.rstrip().endswith((".", "!", "?")) or (
        shouted_words is not None and is_shouting(line) and not is_prose(line) and word_count(line) >= shouted_words
    )


def is_self_promo(line: str) -> bool:
    return word_count(line) <= 40 and bool(_SELF_PROMO.search(line) or _FURNITURE.match(line))


def is_share_prompt(line: str) -> bool:
    """"Share this article", "Like this story? Share it with a friend!", "Follow us on Twitter"."""
    return bool(_SHARE_PROMPT.match(line)) and word_count(line) <= 15


def inline_boxes(line: str) -> list[tuple[int, int, str]]:
    """Pop-up boxes of linked names set into a line: (start, end, the name) for each.

    The box's heading repeats the linked name (it opens with one of the name's words and holds
    the name's last word in its first five), which tells it from a word that merely has a
    capital inside ("McDonald", "YouTube"); the box ends at its "MORE" link, and text must
    follow it (the sentence the box interrupted).
    """
    boxes: list[tuple[int, int, str]] = []
    if _BOX_END.search(line) is None:
        return boxes  # no "MORE" link, no box: most lines stop here
    done = 0
    for glue in _GLUE.finditer(line):
        at = glue.start()
        if at < done:
            continue
        name = line[max(done, at - 80):at].split()[-4:]  # the linked name ends where the box is glued on
        heading = line[at:at + 200].split()[:5]
        if not name or heading[0] not in name or name[-1] not in " ".join(heading):
            continue
        end = _BOX_END.search(line, at, at + MAX_BOX_CHARS)
        if end is None or not line[end.end():].strip():
            continue
        boxes.append((at, end.end(), " ".join(name[name.index(heading[0]):])))
        done = end.end()
    return boxes


def is_credit(line: str) -> bool:
    return bool(_CREDIT.match(line))
