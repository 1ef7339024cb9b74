"""What diploma a job asks for, read from the ROME "accès à l'emploi" texts.

The texts are written in a regular style ("Cet emploi/métier est accessible
avec un CAP/BEP en ...", "Il est également accessible avec une expérience
professionnelle ..."), so a few patterns recover:

* the lowest degree that gives access, on the scale of ``Degree.rank``
  (0 no diploma, 1 CAP/BEP, 2 Bac, 3 Bac+2, 4 Licence/Bac+3-4, 5 Master and
  beyond); sentences that only say a diploma "can make access easier" do not
  count;
* whether experience alone also opens the job (a route for VAE);
* whether the job is regulated (a state diploma or a licence is mandatory).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from shared.reference.text import fold

# Most specific first: "bac+2" must be tried before "bac".
_LEVELS: tuple[tuple[re.Pattern[str], int], ...] = (
    (
        re.compile(
            r"\b(master|doctorat|dea|dess|bac ?5|bac ?6|bac ?8|diplome d ingenieur"
            r"|ecole (de commerce|d ingenieur)|grande ecole)\b"
        ),
        5,
    ),
    (re.compile(r"\b(licence|bac ?3|bac ?4|maitrise|but)\b"), 4),
    (re.compile(r"\b(bac ?2|bts|dut|deug|deust|dma|brevet de technicien superieur)\b"), 3),
    (
        re.compile(
            r"\b(bac(?! [2-8]\b)|baccalaureat|brevet professionnel|bp|brevet de technicien|brevet de maitrise)\b"
        ),
        2,
    ),
    (re.compile(r"\b(cap|bep|cap bep|mention complementaire|cqp|titre professionnel)\b"), 1),
    (re.compile(r"\bbrevet des colleges\b"), 0),
)
# State diplomas whose level the sentence does not say.
_STATE_DIPLOMAS: tuple[tuple[re.Pattern[str], int], ...] = (
    (re.compile(r"\b(aide soignant|ambulancier|auxiliaire)"), 1),
    (
        re.compile(
            r"\b(infirmier|educateur|assistant de service social|sage femme|masseur|ergotherapeute"
            r"|psychomotricien|orthophoniste|pedicure|manipulateur)"
        ),
        4,
    ),
    (re.compile(r"\b(medecin|docteur|pharmacien|chirurgien|veterinaire)"), 5),
)
_STATE_DIPLOMA = re.compile(r"\bdiplome d etat\b")
_WITHOUT_DIPLOMA = re.compile(r"\baccessible sans diplome\b")
_ACCESS = re.compile(r"\b(accessible|acces|ouvert|requis|exige|obligatoire|necessaire)\b")
_EASIER = re.compile(r"\b(faciliter|facilite|peut etre demande|peut etre appreciee?|souhaitable)\b")
# "accessible avec une expérience professionnelle ...": experience is the usual way in.
_BY_EXPERIENCE = re.compile(r"\baccessible (avec|sur|apres) (une |des )?(experience|pratique)\b")
_EXPERIENCE_ROUTE = re.compile(r"\b(egalement|aussi) accessible\b.*\bexperience\b|\baccessible sur experience\b")
_REGULATED = re.compile(
    r"\b(diplome d etat|obligatoire|est exige|sont exiges|autorisation d exercer|inscription a l ordre)\b"
)
_SENTENCE_END = re.compile(r"(?<=\.)\s+(?=[A-ZÀ-Ý])")
_NAMED = re.compile(r"accessible (?:avec|a partir)\s*(?:un |une |le |la |l |du |d un |d une |des )?")


@dataclass(frozen=True)
class DiplomaRequirement:
    """The diploma a job group asks for, as far as the ROME text says."""

    degree_rank: int | None  # None when the text says nothing about diplomas
    diplomas: tuple[str, ...]  # the ROME's own words, e.g. "CAP/BEP en électricité"
    experience_route: bool
    regulated: bool

    @property
    def requires_diploma(self) -> bool:
        """Return True when at least a CAP/BEP is needed to get in."""
        return bool(self.degree_rank)


def _level(folded: str) -> int | None:
    levels = [level for pattern, level in _LEVELS if pattern.search(folded)]
    if _STATE_DIPLOMA.search(folded):
        state = [level for pattern, level in _STATE_DIPLOMAS if pattern.search(folded)]
        levels.append(min(state) if state else 3)
    return min(levels) if levels else None


def _named_diploma(sentence: str) -> str | None:
    # Match on the folded text, then cut the original sentence at the same offset:
    # folding keeps one character per letter for these accented French letters.
    folded = fold_keep_length(sentence)
    match = _NAMED.search(folded)
    if match is None:
        return None
    name = sentence[match.end() :].strip().rstrip(".").strip()
    return name[:1].upper() + name[1:140] if name else None


def fold_keep_length(text: str) -> str:
    """Return the text lower-cased and without accents, one character for one character."""
    out = []
    for char in text:
        folded = fold(char)
        out.append(folded[0] if len(folded) == 1 else " ")
    return "".join(out)


def diploma_requirement(access_texts: Iterable[str]) -> DiplomaRequirement:
    """Return the diploma requirement stated by a job group's access texts."""
    # "accessible" sentences say how to get in; "requis"/"nécessaire" ones often
    # concern one speciality only, so they count only when no "accessible" one names a level.
    access_ranks: list[int] = []
    other_ranks: list[int] = []
    names: list[str] = []
    experience_route = regulated = False
    sentences = [part for text in access_texts for part in _SENTENCE_END.split(text)]
    for sentence in sentences:
        folded = fold(sentence)
        if _WITHOUT_DIPLOMA.search(folded):
            access_ranks.append(0)
            continue
        if _EXPERIENCE_ROUTE.search(folded):
            # "Il est également accessible avec une expérience ...": another way in, not a minimum.
            experience_route = True
            continue
        if _BY_EXPERIENCE.search(folded):
            access_ranks.append(0)
            experience_route = True
            continue
        if _EASIER.search(folded) or not _ACCESS.search(folded):
            continue
        level = _level(folded)
        if level is None:
            continue
        (access_ranks if "accessible" in folded else other_ranks).append(level)
        regulated = regulated or bool(_REGULATED.search(folded))
        name = _named_diploma(sentence)
        if name and name not in names:
            names.append(name)
    ranks = access_ranks or other_ranks
    return DiplomaRequirement(
        degree_rank=min(ranks) if ranks else None,
        diplomas=tuple(names[:3]),
        experience_route=experience_route,
        regulated=regulated,
    )
