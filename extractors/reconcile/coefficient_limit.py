"""Over-limit: a payment scaled by the coefficient a performance score gives (a concession's
运维绩效付费: 考核得分92.5分，按付费系数0.925支付X万元) against the full-score base times that
coefficient. The base is the one money figure the report calls a 基数 (…2,740.00万元，即考核满分对应的
年度运维绩效付费基数), alone in its sentence; with none, or two, there is no check."""
from __future__ import annotations

import re
from decimal import Decimal
from functools import cache

from ..rules import load
from .findings import fmt
from .inputs import DocumentFacts
from .limit_rules import _over


@cache
def _words() -> dict:
    w = load("reconcile")["coefficient"]
    return {"coefficient": re.compile(w["pattern"]), "base": re.compile(w["base_pattern"])}


def coefficient_limits(r: DocumentFacts) -> list[dict]:
    w = _words()
    money = r.of_kind("budget", "contract", "appropriation", "payment", "paid_total")
    bases = [f for f in r.of_kind("budget", "contract") if w["base"].search(f.sentence)
             and sum(1 for g in money if g.sentence == f.sentence) == 1]
    if len({b.wan for b in bases}) != 1:
        return []
    base, out = bases[0], []
    for p in r.of_kind("payment"):
        m = w["coefficient"].search(p.sentence)
        if m is None or sum(1 for g in money if g.sentence == p.sentence) != 1:
            continue
        coefficient = Decimal(m.group("c"))
        bound = base.wan * coefficient
        message = f"按系数{m.group('c')}支付{fmt(p.wan)}万元，基数{fmt(base.wan)}万元乘以该系数为{fmt(bound)}万元"
        out.append(_over(r, "paid_within_coefficient", p.wan, bound, message,
                         [p.quote("paid"), base.quote("bound")], severity="warning"))
    return out
