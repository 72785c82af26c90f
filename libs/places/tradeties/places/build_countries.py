"""Build step for the country names the text matcher finds (ISO names, translations, aliases)."""

from __future__ import annotations

import gettext
from collections import defaultdict
from collections.abc import Iterable, Iterator

import pycountry

from .build import LANGS, NAMED_COUNTRIES
from .naming import everyday_word, kana
from .place import Place
from .text import fold, is_cjk


def countries() -> dict[str, str]:
    return {c.alpha_2: getattr(c, "common_name", c.name) for c in pycountry.countries}


def country_surfaces(aliases: dict[str, list[str]], places: Iterable[Place] = ()) -> Iterator[tuple[str, str]]:
    """(name, code) of the countries the text matcher finds: ISO names, translations, aliases. Every
    other country by its ISO name and translations (pycountry: Slovakia, Eslovaquia, 老挝, ラオス)
    where the name is no town's or division's (Georgia, Jordan, Lebanon stay places), no everyday word
    or first name, and, in CJK, not inside another country's division or city name (蒙古 in 内蒙古)."""
    tr1 = [gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True) for lang in LANGS]
    taken: set[str] = set()
    cjk_names: dict[str, list[str]] = defaultdict(list)  # country → its places' CJK names
    for p in places:
        if p.prior >= 0.2:
            taken |= {fold(s) for s in p.surfaces}
            cjk_names[p.country] += [s for s in p.surfaces if is_cjk(s[0])]
    cjk_text = {cc: "\n".join(names) for cc, names in cjk_names.items()}
    for code, name in countries().items():
        if code in ("HK", "MO"):
            continue
        base = pycountry.countries.get(alpha_2=code)
        names = {name, base.name} | {t.gettext(base.name) for t in tr1}
        if code in aliases or code in NAMED_COUNTRIES:
            # a curated country's ISO Han name inside another country's place name is none (蒙古 in 内蒙古)
            own = set(aliases.get(code, []))
            drop = {n for n in names - own if code in aliases and not kana(n) and _inside_other(n, code, cjk_text)}
            yield from ((n, code) for n in sorted((names | own) - drop))
            continue
        for n in sorted(names):
            if "," in n or "(" in n or fold(n) in taken:
                continue
            # inside another country's place name (蒙古 in 内蒙古) it is no country; inside its own
            # country's (斯洛文尼亚比斯特里察) it is. Katakana is matched inside longer katakana words:
            # a short one is part of too many (マリ in マリン, チャド in リチャード)
            if is_cjk(n[0]) and len(n) >= (4 if kana(n) else 2) and not _inside_other(n, code, cjk_text):
                yield n, code
            elif not is_cjk(n[0]) and len(n) >= 4 and not everyday_word(n):
                yield n, code


def _inside_other(name: str, code: str, cjk_text: dict[str, str]) -> bool:
    return is_cjk(name[0]) and any(name in t for c, t in cjk_text.items() if c != code)
