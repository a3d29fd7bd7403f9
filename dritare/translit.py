"""Serbian Latin -> Serbian Cyrillic, as a Serbian editor writes it: lj, nj and dž are one letter except
across a prefix or in a loanword (nadživeti, injekcija), capitals follow the word (Ljubiša, LJUBIŠA), and what
is not Serbian text stays as written (addresses, Roman numerals, units, codes, foreign words, a list of names).

Text between KEEP_OPEN and KEEP_CLOSE (private-use characters the build puts around text marked -{...}- or
in another language) is never changed; the characters themselves are removed by whoever writes the file."""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Iterable

# Bump when the output of `Transliterator.text` changes for some input: it is part of every derived page's key.
VERSION = "2"

KEEP_OPEN, KEEP_CLOSE = "\ue000", "\ue001"

_LETTERS = {
    "a": "а", "b": "б", "c": "ц", "č": "ч", "ć": "ћ", "d": "д", "đ": "ђ", "e": "е", "f": "ф", "g": "г",
    "h": "х", "i": "и", "j": "ј", "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п", "r": "р",
    "s": "с", "š": "ш", "t": "т", "u": "у", "v": "в", "z": "з", "ž": "ж",
}
_DIGRAPHS = {"lj": "љ", "nj": "њ", "dž": "џ"}
# The one-character digraphs of Unicode (ǆ, ǅ, Ǆ...), which some keyboards and converters write.
_LIGATURES = str.maketrans({"ǆ": "dž", "ǅ": "Dž", "Ǆ": "DŽ", "ǉ": "lj", "ǈ": "Lj", "Ǉ": "LJ", "ǌ": "nj", "ǋ": "Nj",
                            "Ǌ": "NJ"})
# The letters of Serbian Latin; a word with any other Latin letter (q, w, x, y, ë, ü, é...) is not Serbian.
_SERBIAN = frozenset(_LETTERS) | frozenset(c.upper() for c in _LETTERS)
# Word parts in which the two letters of a digraph belong to a prefix and a stem, or to a loanword that
# pronounces them apart: each is found anywhere in the (lowercase) word, around the digraph it names.
SPLIT_DIGRAPHS: dict[str, tuple[str, ...]] = {
    "dž": ("nadžanj", "nadždrel", "nadžel", "nadžeo", "nadžet", "nadživ", "nadžnj", "nadžrec", "nadžup",
           "odžal", "odžar", "odžel", "odživ", "odžubor", "odžvak", "odžval", "odžvać",
           "podžanr", "podžar", "podžeg", "podžel", "podžeć", "podžig", "podžil", "podžnj", "podžnje", "podžup",
           "predželu", "predžetv", "predživot", "feldžandarm"),
    "nj": ("anjon", "injaric", "injekc", "injekt", "injicir", "injunkc", "injurij", "konjug", "konjunk",
           "konjekt", "vanjezič", "vanjugoslov", "panjugoslov", "tanjug", "kenjon"),
    "lj": (),
}
# Common words of other languages that Serbian texts carry as they are (brands, the web).
FOREIGN_WORDS = frozenset("""facebook google youtube twitter instagram linkedin whatsapp viber skype zoom
online offline email e-mail newsletter website web podcast hashtag smartphone microsoft windows office
excel word pdf html http https www""".split())

_ROMAN = re.compile(r"M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")
_WORD = re.compile(r"[^\W\d_]+")
_UNITS = ("km²", "km2", "m²", "m2", "m³", "m3", "cm", "mm", "km", "kg", "mg", "GWh", "MWh", "kWh", "GW", "MW",
          "kW", "ha", "°C", "ml", "l", "m", "g", "t", "h", "s")
# What is never Serbian text, whatever the letters around it.
_PROTECTED = [
    KEEP_OPEN + "[^" + KEEP_CLOSE + "]*" + KEEP_CLOSE,
    r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);",  # character references
    r"(?:[a-zA-Z][a-zA-Z0-9+.-]*://|www\.|mailto:|tel:)[^\s<>\"]*[^\s<>\".,;:!?)\]'’“”»]",  # addresses
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+",  # e-mail addresses
    r"\b[A-Z]{1,3}\$",  # currency symbols as CLDR writes them: US$, CA$
    r"(?<![\w/])/[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)*/?",  # paths on this site: /data/news.json, /sq/
    r"\b[A-Za-z0-9_-]+\.(?:json|csv|xml|html|md|yaml|yml|po|pot|pdf|svg|png|jpg|txt|zip)\b",  # file names
    r"\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|eu|int|info|io|gov|edu|rs|al|me|ba|mk|hr|de|uk)\b",  # host names
    r"\b\w*(?:[^\W\d_]\d|\d[^\W\d_])\w*\b",  # codes and chemical-style names: A1, ER1, CO2, PM10, H2O
    r"(?<=\d)[ \u00a0]?(?:" + "|".join(re.escape(u) for u in _UNITS) + r")(?![^\W_])",  # units after a number
]
_PLACEHOLDER = r"%(?:\([^)]*\))?[#0 +-]*[0-9]*(?:\.[0-9]+)?[diouxXeEfFgGcrsa%]"


_ESCAPED = {"&": "(?:&|&amp;|&#38;)", '"': '(?:"|&quot;|&#34;)', "'": "(?:'|&#39;|&apos;)",
            "<": "(?:<|&lt;)", ">": "(?:>|&gt;)", " ": "(?: |\u00a0|&nbsp;)"}


def _as_written(name: str) -> str:
    """Return the pattern of a name kept as written, in plain text or in HTML (R&amp;D, non-breaking spaces)."""
    return "".join(_ESCAPED.get(char) or re.escape(char) for char in name)


@functools.lru_cache(maxsize=None)
def _splits() -> tuple[tuple[str, int, str], ...]:
    """Return (digraph, its offset in the word part, the word part) for every part that splits a digraph."""
    return tuple((pair, part.index(pair), part) for pair, parts in SPLIT_DIGRAPHS.items() for part in parts)


def _split_at(lower: str, index: int, pair: str) -> bool:
    """Return whether the digraph `pair` at `index` of the lowercase word `lower` is two letters."""
    return any(p == pair and lower.startswith(part, index - offset) for p, offset, part in _splits()
               if index >= offset)


@functools.lru_cache(maxsize=1 << 16)  # the words of a site repeat: most are looked up, not spelt out again
def word(text: str) -> str:
    """Return one Serbian word in Cyrillic (every letter of it is a letter of Serbian Latin)."""
    lower, out, index = text.lower(), [], 0
    while index < len(text):
        pair = lower[index:index + 2]
        if pair in _DIGRAPHS and not _split_at(lower, index, pair):
            letter = _DIGRAPHS[pair]
            out.append(letter.upper() if text[index].isupper() else letter)
            index += 2
            continue
        char = text[index]
        letter = _LETTERS.get(char.lower(), char)
        out.append(letter.upper() if char.isupper() else letter)
        index += 1
    return "".join(out)


def _is_roman(text: str) -> bool:
    """Return whether a word has the form of a Roman numeral (of one letter, only I, V and X: a lone C, D, L or M
    is more often an initial or a letter)."""
    return bool(text) and text.isupper() and (len(text) > 1 or text in "IVX") and _ROMAN.fullmatch(text) is not None


class Transliterator:
    """Serbian Latin to Cyrillic for one site: its list of names and acronyms kept as written."""

    name = "serbian-latin-to-cyrillic"
    version = VERSION

    def __init__(self, keep: Iterable[str] = (), placeholders: bool = False):
        self.keep = tuple(sorted(set(keep), key=lambda k: (-len(k), k)))
        patterns = ([_PLACEHOLDER] if placeholders else []) + _PROTECTED
        if self.keep:
            patterns.insert(1, r"(?<![^\W_])(?:" + "|".join(map(_as_written, self.keep)) + r")(?![^\W_])")
        self._protected = re.compile("|".join(f"(?:{p})" for p in patterns))

    def text(self, text: str) -> str:
        """Return `text` in Cyrillic, with what is not Serbian text left as it is."""
        if not text or not any("A" <= c <= "z" or c in _SERBIAN for c in text):
            return text
        text = unicodedata.normalize("NFC", text).translate(_LIGATURES)
        out, start = [], 0
        for found in self._protected.finditer(text):
            out.append(self._words(text, start, found.start()))
            out.append(found.group())
            start = found.end()
        out.append(self._words(text, start, len(text)))
        return "".join(out)

    def _words(self, text: str, start: int, end: int) -> str:
        """Return text[start:end] with each Serbian word in Cyrillic (the whole text decides Roman numerals)."""
        out, at = [], start
        for found in _WORD.finditer(text, start, end):
            out.append(text[at:found.start()])
            out.append(self._word(text, found))
            at = found.end()
        out.append(text[at:end])
        return "".join(out)

    def _word(self, text: str, found: re.Match) -> str:
        token = found.group()
        if any(c not in _SERBIAN for c in token if not ("\u0400" <= c <= "\u04ff")) or token.lower() in FOREIGN_WORDS:
            return token
        if _is_roman(token) and _roman_here(text, found):
            return token
        return word(token)


def _roman_here(text: str, found: re.Match) -> bool:
    """Return whether the Roman-numeral-shaped word `found` is a numeral where it stands: not inside words
    written in capitals (MI SMO), and a lone I not at the start of a sentence (where it is the word "i")."""
    before = _WORD.findall(text[max(0, found.start() - 40):found.start()])
    after = _WORD.findall(text[found.end():found.end() + 40])
    for neighbour in before[-1:] + after[:1]:
        if len(neighbour) > 1 and neighbour.isupper() and not _is_roman(neighbour):
            return False
    if found.group() == "I":
        lead = text[:found.start()].rstrip()
        return bool(before) and not re.search(r"[.!?:;„“\"(—–-]\Z", lead)
    return True


# What an officer writes around text that a derived edition keeps as written: -{Facebook}-, as in MediaWiki.
MARKER = re.compile(r"-\{(.*?)\}-", re.DOTALL)


def unmarked(text: str) -> str:
    """Return `text` as written, without the -{...}- markers (the text of the language written by hand)."""
    return MARKER.sub(r"\1", text) if "-{" in text else text


def kept(text: str, whole: bool = False) -> str:
    """Return `text` with what -{...}- marks (or all of it, if `whole`) protected from transliteration."""
    if whole:
        return KEEP_OPEN + unmarked(text) + KEEP_CLOSE
    return MARKER.sub(KEEP_OPEN + r"\1" + KEEP_CLOSE, text) if "-{" in text else text


def released(text: str) -> str:
    """Return `text` without the characters that protected parts of it."""
    return text.replace(KEEP_OPEN, "").replace(KEEP_CLOSE, "") if KEEP_OPEN in text or KEEP_CLOSE in text else text


# Transforms a derived language may name in site_config.yaml (`transform:`), by name. A transform is a class
# made with the names it keeps as written (and whether to keep gettext placeholders), whose `text` method
# transforms one text, and whose `version` changes whenever its output does.
TRANSFORMS = {Transliterator.name: Transliterator}


@functools.lru_cache(maxsize=64)
def transformer(name: str, keep: tuple[str, ...] = (), placeholders: bool = False) -> Transliterator:
    """Return the transform `name` keeping `keep` as written (one per list: compiling its pattern takes time)."""
    return TRANSFORMS[name](keep, placeholders)
