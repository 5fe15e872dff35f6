"""Counterparty companies: names (jieba trims the words before them), short names, roles, and
which company a clause is about.

A paragraph about one vendor names it once (与A公司签订合同…。该公司…；3月支付首付款…): the
company a sentence is about carries to the next sentences of its paragraph (`carried_parties`)
until another company is named; the items of a list take the company of the sentence that opens
it (…向A公司支付服务费七笔，具体如下：（1）…（2）…). Nothing carries across paragraphs or
sections, and a clause about the whole project or year (项目累计支出…, 当年实际支出…, 两份合同
合计…) takes none. A company signing a contract for a service (与X签订监理服务合同) is the
company of that service.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cache

import regex

from ..rules import load
from ..segmenter import segmenter
from ..sentences import Sentence, heading_level
from .roles import ends_sentence


@dataclass(frozen=True)
class Company:
    start: int
    end: int
    name: str


@dataclass
class Parties:
    """Every company named in a document, its short names and the roles it was introduced with."""
    mentions: list[Company] = field(default_factory=list)
    aliases: dict[str, str] = field(default_factory=dict)      # 太极云 -> 太极计算机股份有限公司
    roles: dict[str, str] = field(default_factory=dict)        # 监理 -> 成都久信信息技术股份有限公司
    main: str | None = None                                    # the project's main contractor

    def names_in(self, start: int, end: int) -> list[str]:
        """The companies named in text[start:end], each once, in order."""
        return list(dict.fromkeys(c.name for c in self.mentions if start <= c.start and c.end <= end))

    def named_in(self, start: int, end: int) -> Company | None:
        """The last company (or short name) named in text[start:end]."""
        inside = [c for c in self.mentions if start <= c.start and c.end <= end]
        return inside[-1] if inside else None


@cache
def _rules() -> dict:
    r = load("parties")
    suffix = "|".join(sorted(r["suffixes"], key=len, reverse=True))
    return {
        "company": regex.compile(rf"(?:{suffix})(?:{r['branch']})?"),
        "place_bracket": regex.compile(r["place_bracket"]),
        "number_tail": regex.compile(r["number_tail"]),
        "table_row": regex.compile(r["carry"]["table_row_pattern"]),
        "whole_project": regex.compile(r["carry"]["whole_project"]),
        "name_run": regex.compile(rf"(?r)[\p{{Han}}A-Za-z0-9（）()]{{0,{r['max_name_chars']}}}"),
        "stop": set(r["stop_words"]),
        "alias": regex.compile(r["alias_pattern"]),
        "later_alias": regex.compile(r["later_alias_pattern"]),
        "later_reach": r["later_alias_reach"],
        "main_words": regex.compile("|".join(r["main_words"])),
        "provider_roles": set(r["provider_roles"]),
        "roles": [regex.compile(p) for p in r["role_patterns"]],
        "services": r["service_roles"],
        "party_kinds": set(r["party_kinds"]),
        "main_kinds": set(r["main_contractor_kinds"]),
        "parent": regex.compile(rf"^(.+?(?:{suffix}))[\p{{Han}}]{{2,8}}?分公司$"),
        "follow_kinds": set(r["carry"]["follow_kinds"]),
        "partner": regex.compile(r["partners"]["pattern"]),
        "place": regex.compile(r["partners"]["place_pattern"]),
        "partner_min_chars": r["partners"]["min_chars"],
        "scope": regex.compile("|".join(r["carry"]["project_scope"])),
        "opener": regex.compile(r["carry"]["list_opener_pattern"]),
        "anaphor": regex.compile(r["carry"]["anaphor_pattern"]),
        "clause_delims": r["carry"]["clause_delimiters"],
    }


def _name_before(text: str, suffix_start: int, kept: dict[str, int]) -> int:
    """Where the name that ends with the suffix at `suffix_start` begins. `kept` holds, for the
    document, what was kept of each window of name characters already cut into words (a company
    is named again and again)."""
    rules = _rules()
    lo = rules["name_run"].match(text, 0, suffix_start).start()
    tail = rules["number_tail"].match(text, lo, suffix_start)
    lo = tail.end() if tail else lo             # 251.60|某某公司: the digits end a number
    window = text[lo:suffix_start]
    if window not in kept:
        kept[window] = _kept_of(window)
    return lo + kept[window]


def _kept_of(window: str) -> int:
    """Where the name starts in `window`: after the last stop word or bracket of its words."""
    rules = _rules()
    place = rules["place_bracket"].search(window)
    if place and place.start():                   # 某某仪器（上海）|有限公司: the name goes on before it
        return _kept_of(window[:place.start()])
    keep = pos = len(window)
    for token in reversed(list(segmenter().cut(window, HMM=False))):
        if token in rules["stop"] or token in "（）()":
            break
        pos -= len(token)
        keep = pos
    return keep


def text_to_parties(text: str) -> Parties:
    rules = _rules()
    parties = Parties()
    kept: dict[str, int] = {}
    for m in rules["company"].finditer(text):
        start = _name_before(text, m.start(), kept)
        if m.start() - start < 2:
            continue                          # a bare 有限公司 with no name
        if parties.mentions and parties.mentions[-1].start == start:
            parties.mentions.pop()            # 沈阳电信规划设计院|股份有限公司: keep the longer name
        parties.mentions.append(Company(start, m.end(), text[start:m.end()]))
    _partners(text, parties)
    for company in list(parties.mentions):
        alias = rules["alias"].match(text, company.end)
        for short in (alias.group("alias"), alias.group("alias2")) if alias else ():
            if short:
                parties.aliases[short] = company.name
        after = alias.end() if alias else company.end
        for pattern in rules["roles"]:
            where = text[max(0, company.start - 10):company.start] if pattern.pattern.endswith("$") \
                else text[after:after + 22]
            role = pattern.search(where)
            if role:
                service = next((s for s in rules["services"] if s in role.group("role")), role.group("role"))
                parties.roles.setdefault(service, company.name)
    for alias, name in parties.aliases.items():
        for m in regex.finditer(regex.escape(alias), text):
            if not any(c.start <= m.start() < c.end for c in parties.mentions):
                parties.mentions.append(Company(m.start(), m.end(), name))
    _later_aliases(text, parties)
    parties.mentions.sort(key=lambda c: c.start)
    _full_names(parties)
    counts = Counter(c.name for c in parties.mentions).most_common(2)
    if counts and (len(counts) == 1 or counts[0][1] >= 2 * counts[1][1]):
        parties.main = counts[0][0]
    providers = {n for r, n in parties.roles.items() if r in rules["provider_roles"]}
    provider = providers.pop() if len(providers) == 1 else parties.main
    if provider:
        _add_mentions(parties, rules["main_words"].finditer(text), provider)
    return parties


def _add_mentions(parties: Parties, hits, name: str) -> None:
    """`hits` (matches in the text) as mentions of `name`, where no company is named already."""
    for m in hits:
        if not any(c.start < m.end() and m.start() < c.end for c in parties.mentions):
            parties.mentions.append(Company(m.start(), m.end(), name))
    parties.mentions.sort(key=lambda c: c.start)


def _later_aliases(text: str, parties: Parties) -> None:
    """以下将该中标单位称为“服务机构”: the short name stands for the company named last before it (within
    reach), from there on."""
    rules = _rules()
    for m in rules["later_alias"].finditer(text):
        before = [c for c in parties.mentions if c.end <= m.start() and m.start() - c.end <= rules["later_reach"]]
        if before:
            company = max(before, key=lambda c: c.end).name
            parties.aliases.setdefault(m.group("alias"), company)
            _add_mentions(parties, regex.finditer(regex.escape(m.group("alias")), text, pos=m.end()), company)


def _partners(text: str, parties: Parties) -> None:
    """Counterparties that are not companies (养老服务中心, 社会工作服务社), known because a contract
    is signed with them (与X签订合同): every statement of the name, and of the name without its
    place (颐康养老服务中心 for 栾江市颐康养老服务中心)."""
    rules = _rules()
    taken = lambda a, b: any(c.start < b and a < c.end for c in parties.mentions)  # noqa: E731
    for m in rules["partner"].finditer(text):
        name = m.group("name")
        short = rules["place"].sub("", name)
        for form in dict.fromkeys((name, short if len(short) >= rules["partner_min_chars"] else name)):
            for hit in regex.finditer(regex.escape(form), text):
                if not taken(hit.start(), hit.end()):
                    parties.mentions.append(Company(hit.start(), hit.end(), name))
    parties.mentions.sort(key=lambda c: c.start)


def _full_names(parties: Parties) -> None:
    """A name stated without its place (福满堂家政服务有限公司) is the one stated with it
    (栾江市福满堂家政服务有限公司) when the report names only one such."""
    names = {c.name for c in parties.mentions}
    place = _rules()["place"]
    longer = {n: [m for m in names if m != n and place.sub("", m) == n] for n in names}
    for i, c in enumerate(parties.mentions):
        if len(longer[c.name]) == 1:
            parties.mentions[i] = Company(c.start, c.end, longer[c.name][0])


def carried_parties(text: str, sentences: list[Sentence], parties: Parties) -> list[str | None]:
    """For each sentence, the company the sentences before it are about (None: none, or not one).

    A sentence naming one company makes it the company of what follows; naming two or more
    leaves none, and so does a table row read as text (two decimal figures side by side). A heading, a numbered item or a new paragraph starts afresh, except the items
    and paragraphs of a list opened by a sentence ending with a colon (具体如下：), which take
    that sentence's company.
    """
    out: list[str | None] = []
    current: str | None = None
    level = 0                                   # level of the section the text is in
    opener: tuple[str | None, int] | None = None  # (company, level) of a list's opening sentence
    for i, s in enumerate(sentences):
        item = s.heading_level if s.heading_level is not None else heading_level(s.text)
        if item is not None:
            if opener is not None and item > opener[1]:
                current = opener[0]             # an item of the list the opener announced
            else:
                current, opener, level = None, None, item
        elif i and "\n" in text[sentences[i - 1].end:s.start] and ends_sentence(sentences[i - 1].text):
            current = opener[0] if opener is not None else None
        out.append(current)
        names = parties.names_in(s.start, s.end)
        if _rules()["table_row"].search(s.text):
            current = None                      # a table row's company is that row's alone
        elif names:
            current = names[0] if len(names) == 1 else None
        if _rules()["opener"].search(s.text):
            opener = (current, level)
    return out


def _clause_cut(before: str) -> int:
    """Where the amount's clause starts in `before` (its sentence up to the amount), less one."""
    return max((before.rfind(d) for d in _rules()["clause_delims"]), default=-1)


def _project_wide(before: str) -> bool:
    """The clause before an amount speaks of the whole project (项目累计支出, 两份合同合计)."""
    return _rules()["scope"].search(before[_clause_cut(before) + 1:]) is not None


def party_for(parties: Parties, kind: str, sentence_start: int, before: str, amount_start: int,
              carried: str | None = None, since: int = 0, previous: str | None = None) -> str | None:
    """The company an amount of `kind` is about. `before` is its sentence up to the amount,
    `since` where in it the last amount that has a company ended, `previous` the company of
    the amount right before it; `carried` the company the sentences before it are about.

    A service word after the last amount with a company naming a company introduced for that service
    (监理服务… -> the 监理单位) wins when it comes after any company named in the sentence;
    otherwise the company named in the sentence; a service with no known company means none
    (第三方测试服务…). A remainder or total right after another amount is that amount's
    (监理合同已付329.9万元，尚余质保金10万元). A clause pointing back to the company named before
    (与该公司签订施工合同, 双方签订补充协议, 向其支付) takes the carried company, whatever service it
    names. Then the carried company, unless the amount's clause speaks of the whole project or
    year; with none of these, a contract or payment is the main contractor's.
    """
    rules = _rules()
    if kind not in rules["party_kinds"]:
        return None
    named = parties.named_in(sentence_start, amount_start)
    service_at, service = max(((before.rfind(s, since), s) for s in rules["services"]), default=(-1, None))
    known = parties.roles.get(service) if service_at >= 0 else None
    if known and (named is None or sentence_start + service_at > named.start) \
            and not (service_at <= _clause_cut(before) and _project_wide(before)):
        return known                            # (2023年为主体施工年，完成支出X: the year's, not the builder's)
    if named and named.start <= sentence_start + _clause_cut(before) and \
            rules["whole_project"].search(before[_clause_cut(before) + 1:]):
        return None                             # …X公司…，该项目累计支出Y: the whole project's
    if named:
        return named.name
    if carried and rules["anaphor"].search(before, since):
        return carried                          # 与该公司签订施工合同: the company named before
    if service_at >= 0:
        return None
    if previous and kind in rules["follow_kinds"]:
        return previous
    if carried and not _project_wide(before):
        return carried
    return parties.main if kind in rules["main_kinds"] else None


def party_rows(doc_id: str, parties: Parties) -> list[dict]:
    """One row per company the report names: short names, roles, and the parent a branch
    (分公司) folds into when the report names that parent too."""
    counts = Counter(c.name for c in parties.mentions)
    names = list(dict.fromkeys(c.name for c in parties.mentions))
    rows = []
    for name in names:
        parent = _rules()["parent"].match(name)
        parent_name = parent.group(1) if parent and parent.group(1) in counts else None
        rows.append({
            "doc_id": doc_id, "name": name,
            "short_names": "、".join(a for a, n in parties.aliases.items() if n == name) or None,
            "roles": "、".join(r for r, n in parties.roles.items() if n == name) or None,
            "mentions": counts[name], "is_main": name == parties.main, "parent": parent_name,
        })
    return rows
