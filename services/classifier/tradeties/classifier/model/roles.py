"""The grammatical role of each candidate of a delegation article, read from the verb that follows
its mention before any other place is named: the host as the subject of a receiving verb ("Torino
accoglie 35 imprese", "La Région du Littoral reçoit une délégation", "兵庫県知事が…を迎え"), the
travellers as the subject of a travel verb ("Jalisco desembarca en", "Hessen reist", "浙江省代表団が
来県"); and whether it is the first place the headline names ("Euskadi y Querétaro firman": the
writers often open with their own side). Direction-only columns (``ROLE_FEATURES``), appended to
the direction rows beside the window word logits; computed only for articles called a visit."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from tradeties.places.text import Matcher, fold_aligned

from .regions import Region

ROLE_FEATURES = ("role:host_subject", "role:travel_subject", "role:headline_first")
REACH = 40  # characters after a mention in which its verb is looked for

HOST_VERBS = [
    "receives", "received", "receiving", "welcomes", "welcomed", "welcoming", "hosts", "hosted", "hosting",
    "greets", "greeted", "empfängt", "empfing", "begrüßt", "begrüßte", "begrüßen",
    "accueille", "accueillent", "a accueilli", "ont accueilli", "reçoit", "reçoivent", "a reçu", "ont reçu",
    "recibe", "recibió", "reciben", "acoge", "acogió", "da la bienvenida", "dio la bienvenida",
    "accoglie", "ha accolto", "accolgono", "riceve", "ha ricevuto", "ospita", "ha ospitato",
    "会见", "会晤了", "接见", "迎接", "欢迎", "热情接待", "接待",
    "を迎え", "を歓迎", "が歓迎", "を出迎", "が出迎",
]  # fmt: skip
TRAVEL_VERBS = [
    "visits", "visited", "visiting", "travels", "travelled", "traveled", "heads", "headed", "arrives", "arrived",
    "lands", "landed", "tours", "toured", "flies", "flew", "goes to", "went to", "will visit", "to visit",
    "besucht", "besuchte", "reist", "reiste", "fährt", "fuhr", "bereist", "bereiste", "zu Besuch",
    "zu Gast", "visite", "a visité", "se rend", "s'est rendu", "s'est rendue", "se sont rendus", "est parti",
    "visita", "visitó", "viaja", "viajó", "desembarca", "desembarcó", "llega", "llegó", "recorre", "recorrió",
    "ha visitato", "sbarca", "è sbarcata", "arriva", "è arrivata", "vola", "si reca", "in missione",
    "访问", "出访", "到访", "来访", "赴", "抵达", "前往", "考察", "来华", "访华",
    "を訪問", "を訪れ", "が来県", "が来日", "来県", "来日", "来訪", "を視察", "に到着",
]  # fmt: skip


@lru_cache(maxsize=1)
def _verbs() -> Matcher[str]:
    return Matcher([(v, "host") for v in HOST_VERBS] + [(v, "travel") for v in TRAVEL_VERBS], single_cjk=True)


def role_columns(text: str, regions: list[Region], delegation_sentences: set[int]) -> np.ndarray:
    """Per region, [host subject, travel subject, first place of the headline]: the first two the
    weight of its mentions whose next verb is of that kind (a delegation sentence or the headline 1,
    elsewhere 0.3)."""
    out = np.zeros((len(regions), len(ROLE_FEATURES)))
    starts = sorted(m.start for r in regions for m in r.mentions)
    title = [m.start for r in regions for m in r.mentions if m.sentence.in_title]
    first_title = min(title, default=-1)
    verbs = _verbs()
    for i, r in enumerate(regions):
        for m in r.mentions:
            s = m.sentence
            end = min(s.end, m.end + REACH, next((x for x in starts if x >= m.end), s.end))
            after = text[m.end : end]
            hits = verbs.find(after, fold_aligned(after))
            if not hits:
                continue
            w = 1.0 if s.in_title or s.index in delegation_sentences else 0.3
            out[i, 0 if "host" in hits[0].value else 1] += w
        out[i, 2] = float(any(m.start == first_title for m in r.mentions))
    out[:, :2] = np.log1p(out[:, :2])
    return out
