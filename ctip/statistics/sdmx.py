"""The SDMX structures (codelists, DSD, dataflow) that CTIP's SDMX-CSV exports conform to.

Codes are those of SDG indicator 16.2.2 (dataflow IAEG-SDGs:DF_SDG_GLH): the series
VC_HTF_DETV (detected victims) and VC_HTF_DETVFL / VC_HTF_DETVSX / VC_HTF_DETVOP (for forced
labour, sexual exploitation, other purposes), SEX and AGE as in CL_SEX / CL_AGE, REF_AREA as
UN M49 numeric codes. Persons prosecuted, convicted and brought into formal contact have no
SDG series: CTIP declares its own codes (CTIP_…) in the same codelist. The structure is
CTIP's own (agency CTIP) so that every column of the CSV is declared, including CONF_STATUS
for suppressed cells. Written with pysdmx as SDMX-ML 3.0; TIME_PERIOD is the time dimension.
"""

from __future__ import annotations

import re

from django.utils import translation

from ctip.core.codes import AgeGroup, FormOfExploitation, Sex
from ctip.core.models import Country, Region
from ctip.statistics.codes import TOTAL, Dimension, Indicator

AGENCY = "CTIP"
DSD_ID = "DSD_GLOTIP_VICTIMS"
DATAFLOW_ID = "DF_GLOTIP"
VERSION = "1.0"
STRUCTURE_ID = f"{AGENCY}:{DSD_ID}({VERSION})"
DATAFLOW_STRUCTURE_ID = f"{AGENCY}:{DATAFLOW_ID}({VERSION})"
CROSS_DOMAIN = "urn:sdmx:org.sdmx.infomodel.conceptscheme.Concept=SDMX:CROSS_DOMAIN_CONCEPTS(2.0)"
# Columns of the SDMX-CSV after STRUCTURE, STRUCTURE_ID, ACTION, in the DSD's order.
DIMENSIONS = ["FREQ", "REF_AREA", "SERIES", "SEX", "AGE", "TIME_PERIOD"]
ATTRIBUTES = ["OBS_STATUS", "CONF_STATUS", "UNIT_MEASURE"]

# Which CTIP cell each series holds: (indicator, dimension, category) → series code.
# The one place the mapping lives: the SDMX-CSV writer and reader both use it.
SERIES: dict[tuple[str, str, str], tuple[str, str]] = {
    (Indicator.DETECTED_VICTIMS, Dimension.TOTAL, TOTAL): (
        "VC_HTF_DETV",
        "Detected victims of human trafficking",
    ),
    (
        Indicator.DETECTED_VICTIMS,
        Dimension.FORM_OF_EXPLOITATION,
        FormOfExploitation.FORCED_LABOUR,
    ): (
        "VC_HTF_DETVFL",
        "Detected victims of human trafficking for forced labour, servitude and slavery",
    ),
    (
        Indicator.DETECTED_VICTIMS,
        Dimension.FORM_OF_EXPLOITATION,
        FormOfExploitation.SEXUAL_EXPLOITATION,
    ): ("VC_HTF_DETVSX", "Detected victims of human trafficking for sexual exploitation"),
    (Indicator.DETECTED_VICTIMS, Dimension.FORM_OF_EXPLOITATION, FormOfExploitation.OTHER): (
        "VC_HTF_DETVOP",
        "Detected victims of human trafficking for other purposes",
    ),
    (Indicator.PROSECUTED, Dimension.TOTAL, TOTAL): (
        "CTIP_HTF_PROS",
        "Persons prosecuted for trafficking in persons (CTIP series)",
    ),
    (Indicator.CONVICTED, Dimension.TOTAL, TOTAL): (
        "CTIP_HTF_CONV",
        "Persons convicted of trafficking in persons (CTIP series)",
    ),
    (Indicator.FORMAL_CONTACT, Dimension.TOTAL, TOTAL): (
        "CTIP_HTF_FCON",
        "Persons brought into formal contact with the criminal justice system (CTIP series)",
    ),
}
CELL_OF_SERIES = {code: key for key, (code, _name) in SERIES.items()}


def series_code(indicator: str, dimension: str, category: str) -> str | None:
    """The series of a cell, or None when SDMX has no series for it (citizenship, conflict)."""
    found = SERIES.get((indicator, dimension, category))
    return found[0] if found else None


def _codelist(list_id: str, codes: list[tuple[str, str]]):  # type: ignore[no-untyped-def]
    from pysdmx.model import Code, Codelist

    return Codelist(
        id=list_id,
        agency=AGENCY,
        name=list_id,
        version=VERSION,
        items=[Code(id=code, name=name) for code, name in codes],
    )


def area_codes() -> list[tuple[str, str]]:
    areas = {c.numeric: c.name for c in Country.objects.all()}
    areas.update({r.m49: r.name for r in Region.objects.all()})
    areas["001"] = "World"
    return sorted(areas.items())


def structures():  # type: ignore[no-untyped-def]
    """The codelists, the data structure definition and the dataflow, as pysdmx objects."""
    from pysdmx.model import Concept, DataType
    from pysdmx.model.dataflow import (
        Component,
        Components,
        Dataflow,
        DataStructureDefinition,
        Role,
    )

    with translation.override("en"):
        codelists = {
            "FREQ": _codelist("CL_FREQ", [("A", "Annual")]),
            "REF_AREA": _codelist("CL_AREA", area_codes()),
            "SERIES": _codelist("CL_SERIES", list(SERIES.values())),
            "SEX": _codelist("CL_SEX", [(v, str(label)) for v, label in Sex.choices]),
            "AGE": _codelist("CL_AGE", [(v, str(label)) for v, label in AgeGroup.choices]),
            "OBS_STATUS": _codelist("CL_OBS_STATUS", [("A", "Normal value")]),
            "CONF_STATUS": _codelist(
                "CL_CONF_STATUS",
                [
                    ("F", "Free"),
                    ("A", "Primary confidentiality due to small counts"),
                    ("D", "Secondary confidentiality set by the sender, not for publication"),
                ],
            ),
            "UNIT_MEASURE": _codelist("CL_UNIT_MEASURE", [("NUMBER", "Number")]),
        }

    def component(
        component_id: str, role: Role, dtype: DataType, attachment_level: str | None = None
    ) -> Component:
        return Component(
            id=component_id,
            required=role != Role.ATTRIBUTE,
            role=role,
            local_dtype=dtype,
            concept=Concept(id=component_id, urn=f"{CROSS_DOMAIN}.{component_id}"),
            local_codes=codelists.get(component_id),
            attachment_level=attachment_level,
        )

    components = Components(
        [
            *(component(d, Role.DIMENSION, DataType.STRING) for d in DIMENSIONS[:-1]),
            # The time dimension: SDMX-ML requires a time type, and readers parse it as one.
            component("TIME_PERIOD", Role.DIMENSION, DataType.PERIOD),
            component("OBS_VALUE", Role.MEASURE, DataType.DOUBLE),
            *(
                component(a, Role.ATTRIBUTE, DataType.STRING, attachment_level="O")
                for a in ATTRIBUTES
            ),
        ]
    )
    dsd = DataStructureDefinition(
        id=DSD_ID,
        agency=AGENCY,
        version=VERSION,
        components=components,
        name="Victims of trafficking in persons and criminal justice (CTIP, GLOTIP framework)",
        description="Codes aligned with IAEG-SDGs:DF_SDG_GLH (SDG 16.2.2).",
    )
    dataflow = Dataflow(
        id=DATAFLOW_ID,
        agency=AGENCY,
        version=VERSION,
        name="Trafficking in persons: detected victims, prosecutions, convictions (CTIP)",
        structure=dsd.short_urn,
    )
    return [*codelists.values(), dsd, dataflow]


def dsd_xml() -> str:
    """The structure message: codelists, the DSD and its dataflow, in SDMX-ML 3.0."""
    from pysdmx.io import write_sdmx
    from pysdmx.io.format import Format
    from pysdmx.model import Organisation
    from pysdmx.model.message import Header

    header = Header(sender=Organisation(id=AGENCY))
    xml = str(write_sdmx(structures(), Format.STRUCTURE_SDMX_ML_3_0, header=header))
    # sdmx1 cannot read <MeasureRelationship>; it is optional, and without it an attribute
    # applies to all measures, which with the one OBS_VALUE is exactly what pysdmx wrote.
    return MEASURE_RELATIONSHIP.sub("", xml)


MEASURE_RELATIONSHIP = re.compile(
    r"\s*<str:MeasureRelationship>.*?</str:MeasureRelationship>", re.S
)
