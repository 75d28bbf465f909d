"""What a screening already says about a person, offered as the starting values of the case
it opens: the caseworker checks them, changes what is wrong and types the rest.

An answer "yes" to a screening question points to an HTCDS means of control or form of
exploitation; "no" and "did not answer" suggest nothing. The mapping is deliberately
narrow: a question is mapped only where its words name the means or the form.
"""

from __future__ import annotations

from typing import Any

from ctip.cases.codes import Answer
from ctip.cases.models import Screening
from ctip.core.codes import FormOfExploitation as Form
from ctip.core.codes import MeansOfControl as Means

MEANS = {
    "ilo_forced_labour.deception": Means.FALSE_PROMISES,
    "ilo_forced_labour.violence": Means.PHYSICAL_ABUSE,
    "ilo_forced_labour.threats": Means.PHYSICAL_THREATS,
    "ilo_forced_labour.documents": Means.WITHHOLDS_DOCUMENTS,
    "ilo_forced_labour.wages": Means.TAKES_EARNINGS,
    "ilo_forced_labour.debt": Means.DEBT_BONDAGE,
    "ilo_forced_labour.overtime": Means.EXCESSIVE_WORKING_HOURS,
    "iom_flow_monitoring.unpaid": Means.TAKES_EARNINGS,
    "iom_flow_monitoring.violence": Means.PHYSICAL_ABUSE,
}
FORMS = {
    "ilo_forced_labour.debt": Form.FORCED_LABOUR,
    "ilo_forced_labour.movement": Form.FORCED_LABOUR,
    "iom_flow_monitoring.forced_work": Form.FORCED_LABOUR,
    "iom_flow_monitoring.arranged_marriage": Form.FORCED_MARRIAGE,
    "iom_flow_monitoring.organs": Form.ORGAN_REMOVAL,
    "child.working": Form.CHILD_LABOUR,
    "child.armed_group": Form.FORCED_MILITARY,
    "child.married": Form.FORCED_MARRIAGE,
    "child.sexual_exploitation": Form.SEXUAL_EXPLOITATION,
}


def case_initial(screening: Screening | None) -> dict[str, Any]:
    """The case form's starting values from a screening (empty without one)."""
    if screening is None:
        return {}
    said_yes = [key for key, answer in screening.answers.items() if answer == Answer.YES]
    initial: dict[str, Any] = {"identified_on": screening.screened_on.isoformat()}
    means = sorted({MEANS[key].value for key in said_yes if key in MEANS})
    forms = sorted({FORMS[key].value for key in said_yes if key in FORMS})
    if means:
        initial["means_of_control"] = means
    if forms:
        initial["forms_of_exploitation"] = forms
    return initial
