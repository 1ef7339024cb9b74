"""Readers of the official market-statistics layouts (France Travail IMT, DARES BMO, FHS, offers).

Each reader is pure: a file in, the figures per (job group, département) out,
with a report of what was read, kept and rejected (and why). Rows are
rejected, never guessed: unknown ROME code or département, a region or
national row where a département is expected, statistical secrecy (``*``,
``-1``, ``-2``), a month in the future, a number that does not parse.

The layouts are those of market_samples/ in DATA_DIR (the importers' test
fixtures); the full official files have the same columns.
"""

from __future__ import annotations

import csv
import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from shared.reference.text import fold

Pair = tuple[str, str]  # (ROME code, département code)
MONTH_COLUMNS = (
    "SEASONAL_JAN",
    "SEASONAL_FEB",
    "SEASONAL_MAR",
    "SEASONAL_APR",
    "SEASONAL_MAY",
    "SEASONAL_JUNE",
    "SEASONAL_JULY",
    "SEASONAL_AUG",
    "SEASONAL_SEP",
    "SEASONAL_OCT",
    "SEASONAL_NOV",
    "SEASONAL_DEC",
)
# IMT contract codes: 01 CDI, 02 CDD ≤ 3 months, 03 CDD > 3 months, 04 interim.
CONTRACT_FIGURES = {"01": "cdi_share", "02": "cdd_share", "03": "cdd_share", "04": "interim_share"}
# Application modes by FAP: R1 placement agencies, R2 network, R3 spontaneous, R4 other channels.
APPLICATION_FIGURES = {
    "R1": "application_agency_share",
    "R2": "application_network_share",
    "R3": "application_spontaneous_share",
    "R4": "application_other_share",
}
MIN_SALARY_COUNT = 15  # fewer job seekers in a (job, département) than this: no salary estimate
SECRET = frozenset({"*", "-1", "-2"})


@dataclass
class ReadReport:
    """What a reader saw: rows read, kept, rejected by reason, and the period covered."""

    rows_read: int = 0
    rows_kept: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    warnings: Counter[str] = field(default_factory=Counter)  # kept rows that look odd
    period: tuple[str, str] | None = None

    def reject(self, reason: str) -> None:
        """Count one rejected row."""
        self.rejected[reason] += 1

    @property
    def rows_rejected(self) -> int:
        """Return how many rows were rejected."""
        return sum(self.rejected.values())


@dataclass
class MarketObservations:
    """The figures one dataset gives, by (job group, département)."""

    figures: dict[Pair, dict[str, float]] = field(default_factory=lambda: defaultdict(dict))
    seasonality: dict[Pair, list[float]] = field(default_factory=dict)
    extra: dict[Pair, dict[str, object]] = field(default_factory=lambda: defaultdict(dict))
    report: ReadReport = field(default_factory=ReadReport)

    def pairs(self) -> set[Pair]:
        """Return every pair the dataset says something about."""
        return set(self.figures) | set(self.seasonality) | set(self.extra)


@dataclass(frozen=True)
class Known:
    """The codes a reader accepts, and the crosswalks it may need."""

    romes: frozenset[str]
    departements: frozenset[str]
    fap_to_rome: Mapping[str, Sequence[str]]
    departement_names: Mapping[str, str]
    today: date


def _rows(path: Path, delimiter: str = ",") -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter=delimiter):
            yield {k.strip(): (v or "").strip() for k, v in row.items() if k is not None}


def departement_code(raw: str) -> str:
    """Return a département code in COG form: "2" -> "02", "971" and "2A" unchanged."""
    raw = raw.strip().upper()
    return raw.zfill(2) if raw.isdigit() and len(raw) < 2 else raw


def _number(raw: str) -> float | None:
    raw = raw.replace(" ", "").replace(",", ".")
    if not raw or raw in SECRET:
        return None
    try:
        return float(raw)
    except ValueError:
        return None


def _check_pair(rome: str, dep: str, known: Known, report: ReadReport) -> bool:
    if rome not in known.romes:
        report.reject("unknown-rome")
        return False
    if dep not in known.departements:
        report.reject("unknown-departement")
        return False
    return True


def _departement_row(row: Mapping[str, str], known: Known, report: ReadReport, code_column: str) -> str | None:
    """Return the département of an IMT row, or None (and count why) for other area levels."""
    if row.get("AREA_TYPE_CODE", "D") != "D":
        report.reject("not-departement-level")
        return None
    dep = departement_code(row[code_column])
    name = known.departement_names.get(dep)
    if name and row.get("AREA_NAME") and fold(name) != fold(row["AREA_NAME"]):
        # The code is authoritative; the name only tells that the row may be mislabelled.
        report.warnings["area-name-mismatch"] += 1
    return dep


def read_imt_market_score(path: Path, known: Known) -> MarketObservations:
    """Return tension (offers per 10 job seekers) and seasonal months from ``imt_market_score.csv``."""
    out = MarketObservations()
    report = out.report
    for row in _rows(path):
        report.rows_read += 1
        dep = _departement_row(row, known, report, "AREA_CODE")
        rome = row.get("ROME_PROFESSION_CARD_CODE", "")
        if dep is None or not _check_pair(rome, dep, known, report):
            continue
        tension = _number(row.get("TENSION_RATIO", ""))
        active = [i + 1 for i, column in enumerate(MONTH_COLUMNS) if row.get(column) == "O"]
        if tension is None and not active:
            report.reject("no-value")
            continue
        pair = (rome, dep)
        if tension is not None:
            out.figures[pair]["offers_per_10_candidates"] = tension
        if row.get("SEASONAL") == "O" and active:
            out.figures[pair]["best_month"] = float(active[0])
            out.extra[pair]["seasonal_months"] = active
        report.rows_kept += 1
    return out


def read_imt_employment_type(path: Path, known: Known) -> MarketObservations:
    """Return the contract mix (CDI, CDD, interim shares of offers) from ``imt_employment_type.csv``."""
    out = MarketObservations()
    report = out.report
    percents: dict[Pair, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for row in _rows(path):
        report.rows_read += 1
        dep = _departement_row(row, known, report, "AREA_CODE")
        rome = row.get("ROME_PROFESSION_CARD_CODE", "")
        if dep is None or not _check_pair(rome, dep, known, report):
            continue
        figure = CONTRACT_FIGURES.get(row.get("CONTRACT_TYPE_CODE", ""))
        percent = _number(row.get("OFFERS_PERCENT", ""))
        if figure is None or percent is None:
            report.reject("unknown-contract-or-value")
            continue
        percents[(rome, dep)][figure] += percent
        report.rows_kept += 1
    for pair, shares in percents.items():
        total = sum(shares.values())
        if total > 0:
            for figure in ("cdi_share", "cdd_share", "interim_share"):
                out.figures[pair][figure] = round(shares.get(figure, 0.0) / total, 3)
    return out


def read_pcs_rome(path: Path) -> dict[str, list[str]]:
    """Return the ROME codes of each PCS code (``pcs_rome.csv``: the key of the salary statistics)."""
    crosswalk: dict[str, list[str]] = defaultdict(list)
    for row in _rows(path):
        crosswalk[row["PCS"].lower()].append(row["ROME"])
    return dict(crosswalk)


def read_imt_salaries(path: Path, known: Known, pcs_to_rome: Mapping[str, Sequence[str]]) -> MarketObservations:
    """Return yearly gross salary figures from ``imt_salaries.csv`` (monthly ranges by PCS and age group).

    p25 and p75 are the medians, over the PCS codes and age groups of the job
    group, of the range's low and high ends (×12); the median is their midpoint.
    """
    out = MarketObservations()
    report = out.report
    ranges: dict[Pair, list[tuple[float, float]]] = defaultdict(list)
    for row in _rows(path):
        report.rows_read += 1
        dep = _departement_row(row, known, report, "AREA_CODE")
        if dep is None:
            continue
        if dep not in known.departements:
            report.reject("unknown-departement")
            continue
        low, high = _number(row.get("MINIMUM_SALARY", "")), _number(row.get("MAXIMUM_SALARY", ""))
        if low is None or high is None or low <= 0 or high < low:
            report.reject("secret-or-missing")
            continue
        romes = [r for r in pcs_to_rome.get(row.get("PCS_PROFESSION_CODE", "").lower(), ()) if r in known.romes]
        if not romes:
            report.reject("pcs-without-rome")
            continue
        for rome in romes:
            ranges[(rome, dep)].append((low, high))
        report.rows_kept += 1
    for pair, values in ranges.items():
        p25 = statistics.median(low for low, _ in values) * 12
        p75 = statistics.median(high for _, high in values) * 12
        out.figures[pair].update(
            {
                "salary_gross_yearly_p25": round(p25, -2),
                "salary_gross_yearly_median": round((p25 + p75) / 2, -2),
                "salary_gross_yearly_p75": round(p75, -2),
            }
        )
    return out


def _month(raw: str) -> tuple[int, int] | None:
    if len(raw) != 6 or not raw.isdigit():
        return None
    year, month = int(raw[:4]), int(raw[4:])
    return (year, month) if 1 <= month <= 12 else None


def read_imt_monthly(path: Path, known: Known) -> MarketObservations:
    """Return tension and seasonality from the monthly offers/job seekers file ``IMT.csv``.

    Tension = 10 × offers / job seekers averaged over the last 12 months of
    each pair; seasonality = mean offers of each calendar month / mean of all
    months, only when all 12 calendar months are present.
    """
    out = MarketObservations()
    report = out.report
    series: dict[Pair, dict[tuple[int, int], tuple[float, float]]] = defaultdict(dict)
    months_seen: list[str] = []
    for row in _rows(path, delimiter=";"):
        report.rows_read += 1
        when = _month(row.get("mois", ""))
        if when is None:
            report.reject("bad-month")
            continue
        if date(when[0], when[1], 1) > known.today:
            report.reject("month-in-the-future")
            continue
        rome, dep = row.get("ROME", ""), departement_code(row.get("dpt", ""))
        if not _check_pair(rome, dep, known, report):
            continue
        offers, seekers = _number(row.get("off", "")), _number(row.get("de", ""))
        if offers is None or seekers is None or offers < 0 or seekers <= 0:
            report.reject("no-value")
            continue
        series[(rome, dep)][when] = (offers, seekers)
        months_seen.append(f"{when[0]:04d}-{when[1]:02d}")
        report.rows_kept += 1
    for pair, points in series.items():
        last = sorted(points)[-12:]
        offers = sum(points[m][0] for m in last) / len(last)
        seekers = sum(points[m][1] for m in last) / len(last)
        out.figures[pair]["offers_per_10_candidates"] = round(10 * offers / seekers, 1)
        by_month: dict[int, list[float]] = defaultdict(list)
        for (_, month), (value, _) in points.items():
            by_month[month].append(value)
        if len(by_month) == 12:
            means = [statistics.fmean(by_month[m]) for m in range(1, 13)]
            overall = statistics.fmean(means)
            if overall > 0:
                index = [round(m / overall, 3) for m in means]
                out.seasonality[pair] = index
                out.figures[pair]["best_month"] = float(max(range(12), key=lambda i: index[i]) + 1)
    if months_seen:
        report.period = (min(months_seen), max(months_seen))
    return out


def read_bmo(path: Path, known: Known) -> MarketObservations:
    """Return BMO hiring projects per job group and département from ``bmo.csv`` (by FAP and labour pool).

    Labour pools are summed by département; a FAP's projects are shared equally
    among the ROME job groups of that FAP (the survey knows no finer split).
    """
    out = MarketObservations()
    report = out.report
    totals: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for row in _rows(path):
        report.rows_read += 1
        dep = departement_code(row.get("DEPARTEMENT_CODE", ""))
        fap = row.get("FAP_CODE", "")
        if dep not in known.departements:
            report.reject("unknown-departement")
            continue
        if fap not in known.fap_to_rome:
            report.reject("unknown-fap")
            continue
        projects = row.get("NB_RECRUT_PROJECTS", "")
        if projects in SECRET:
            report.reject("secret")
            continue
        total = _number(projects)
        if total is None or total <= 0:
            report.reject("no-value")
            continue
        difficult = _number(row.get("NB_DIFF_RECRUT_PROJECTS", "")) or 0.0
        seasonal = _number(row.get("NB_SEASON_RECRUT_PROJECTS", "")) or 0.0
        acc = totals[(fap, dep)]
        acc[0] += total
        acc[1] += difficult
        acc[2] += seasonal
        report.rows_kept += 1
    shares: dict[Pair, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for (fap, dep), (total, difficult, seasonal) in totals.items():
        romes = [r for r in known.fap_to_rome[fap] if r in known.romes]
        for rome in romes:
            acc = shares[(rome, dep)]
            acc[0] += total / len(romes)
            acc[1] += difficult / len(romes)
            acc[2] += seasonal / len(romes)
    for pair, (total, difficult, seasonal) in shares.items():
        out.figures[pair].update(
            {
                "hiring_projects_yearly": round(total, 1),
                "hiring_difficult_share": round(min(difficult / total, 1.0), 3),
                "seasonal_share": round(min(seasonal / total, 1.0), 3),
            }
        )
    return out


def read_application_modes(path: Path, known: Known) -> MarketObservations:
    """Return how people were hired (shares by channel) from ``application_modes.csv``.

    The statistics are national, by FAP: every département gets its FAP's
    shares; a job group in several FAPs gets their average.
    """
    out = MarketObservations()
    report = out.report
    by_fap: dict[str, dict[str, float]] = defaultdict(dict)
    for row in _rows(path):
        report.rows_read += 1
        fap = row.get("FAP_CODE", "")
        figure = APPLICATION_FIGURES.get(row.get("APPLICATION_TYPE_CODE", ""))
        percent = _number(row.get("RECRUT_PERCENT", ""))
        if fap not in known.fap_to_rome:
            report.reject("unknown-fap")
            continue
        if figure is None or percent is None:
            report.reject("unknown-mode-or-value")
            continue
        by_fap[fap][figure] = percent / 100
        report.rows_kept += 1
    by_rome: dict[str, list[dict[str, float]]] = defaultdict(list)
    for fap, shares in by_fap.items():
        for rome in known.fap_to_rome[fap]:
            if rome in known.romes:
                by_rome[rome].append(shares)
    for rome, all_shares in by_rome.items():
        average = {
            figure: round(statistics.fmean(s.get(figure, 0.0) for s in all_shares), 3)
            for figure in APPLICATION_FIGURES.values()
        }
        for dep in known.departements:
            out.figures[(rome, dep)].update(average)
    return out


def _day(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw[:10])
    except ValueError:
        return None


def read_job_offers(path: Path, known: Known) -> MarketObservations:
    """Return yearly job offers per job group and département from a list of offers (``offers_per_departement.csv``).

    Offers are counted per pair and scaled to a year by the span of creation
    dates the file covers.
    """
    out = MarketObservations()
    report = out.report
    counts: Counter[Pair] = Counter()
    days: list[date] = []
    for row in _rows(path):
        report.rows_read += 1
        created = _day(row.get("creation_date", ""))
        if created is None or created > known.today:
            report.reject("bad-date")
            continue
        rome, dep = row.get("rome_profession_card_code", ""), departement_code(row.get("departement_code", ""))
        if not _check_pair(rome, dep, known, report):
            continue
        counts[(rome, dep)] += 1
        days.append(created)
        report.rows_kept += 1
    if days:
        first, last = min(days), max(days)
        years = max(((last - first).days + 1) / 365.25, 1 / 12)
        report.period = (first.isoformat(), last.isoformat())
        for pair, count in counts.items():
            out.figures[pair]["job_offers_yearly"] = round(count / years, 1)
    return out


def read_seasonal_offers(path: Path, known: Known) -> MarketObservations:
    """Return seasonal offers counted by month for each pair (``seasonal_offers_2015_2017.csv``).

    Kept as raw counts (for seasonal-job suggestions): a sample of months says
    where seasonal jobs are, not a share of all hiring, so no figure is set.
    """
    out = MarketObservations()
    report = out.report
    counts: dict[Pair, Counter[int]] = defaultdict(Counter)
    days: list[date] = []
    for row in _rows(path):
        report.rows_read += 1
        created = _day(row.get("creation_date", ""))
        if created is None or created > known.today:
            report.reject("bad-date")
            continue
        rome, dep = row.get("rome_profession_card_code", ""), departement_code(row.get("departement_code", ""))
        if not _check_pair(rome, dep, known, report):
            continue
        counts[(rome, dep)][created.month] += 1
        days.append(created)
        report.rows_kept += 1
    for pair, by_month in counts.items():
        out.extra[pair]["seasonal_offers_by_month"] = {str(m): n for m, n in sorted(by_month.items())}
    if days:
        report.period = (min(days).isoformat(), max(days).isoformat())
    return out


def read_fhs_salaries(path: Path, known: Known) -> MarketObservations:
    """Return yearly gross salary quartiles of job seekers' previous jobs (``fhs_salaries.csv``, buckets)."""
    out = MarketObservations()
    report = out.report
    buckets: dict[Pair, list[tuple[float, float, int]]] = defaultdict(list)
    for row in _rows(path):
        report.rows_read += 1
        rome, dep = row.get("code_rome", ""), departement_code(row.get("departement_id", ""))
        if not _check_pair(rome, dep, known, report):
            continue
        low, high = _number(row.get("salary_low", "")), _number(row.get("salary_high", ""))
        count = _number(row.get("count", ""))
        # The reference's own cleaning: salaries outside 1,000-100,000 € are errors.
        if low is None or high is None or count is None or not 1000 < high < 100_000:
            report.reject("implausible-salary")
            continue
        buckets[(rome, dep)].append((low, high, int(count)))
        report.rows_kept += 1
    for pair, rows in buckets.items():
        total = sum(count for *_, count in rows)
        if total < MIN_SALARY_COUNT:
            report.reject("too-few-people")
            continue
        out.figures[pair].update(
            {
                "salary_gross_yearly_p25": _quantile(rows, total, 0.25),
                "salary_gross_yearly_median": _quantile(rows, total, 0.5),
                "salary_gross_yearly_p75": _quantile(rows, total, 0.75),
            }
        )
    return out


def _quantile(rows: list[tuple[float, float, int]], total: int, q: float) -> float:
    """Return the q-quantile of bucketed salaries, interpolating inside the bucket that holds it."""
    target = q * total
    seen = 0
    for low, high, count in sorted(rows):
        if seen + count >= target:
            return round(low + (high - low) * (target - seen) / count, -1)
        seen += count
    return round(sorted(rows)[-1][1], -1)


def read_fhs_durations(path: Path, known: Known) -> MarketObservations:
    """Return the median unemployment duration (days) per job group and département (``fhs_durations.csv``)."""
    out = MarketObservations()
    report = out.report
    durations: dict[Pair, list[float]] = defaultdict(list)
    for row in _rows(path):
        report.rows_read += 1
        city = row.get("city_id", "")
        dep = city[:3] if city.startswith("97") else city[:2]
        rome = row.get("code_rome", "")
        if not _check_pair(rome, dep, known, report):
            continue
        days = _number(row.get("duration", ""))
        if days is None or days < 0:
            report.reject("no-value")
            continue
        durations[(rome, dep)].append(days)
        report.rows_kept += 1
    for pair, values in durations.items():
        out.figures[pair]["unemployment_median_days"] = float(statistics.median(values))
    return out


Reader = Callable[[Path, Known], MarketObservations]
