"""The SDMX data structure definition (DSD) that CTIP's SDMX-CSV exports conform to.

Codes are those of SDG indicator 16.2.2 (dataflow IAEG-SDGs:DF_SDG_GLH, series VC_HTF_DETV):
SEX and AGE as in CL_SEX / CL_AGE, REF_AREA as UN M49 numeric codes. The structure is
CTIP's own (agency CTIP) so that every column of the CSV is declared, including
CONF_STATUS for suppressed cells. Written with pysdmx as SDMX-ML 3.0.
"""

from __future__ import annotations

from django.utils import translation

from ctip.core.codes import AgeGroup, Sex
from ctip.core.models import Country, Region

AGENCY = "CTIP"
DSD_ID = "DSD_GLOTIP_VICTIMS"
VERSION = "1.0"
STRUCTURE_ID = f"{AGENCY}:{DSD_ID}({VERSION})"
CROSS_DOMAIN = "urn:sdmx:org.sdmx.infomodel.conceptscheme.Concept=SDMX:CROSS_DOMAIN_CONCEPTS(2.0)"
# Columns of the SDMX-CSV after STRUCTURE, STRUCTURE_ID, ACTION, in the DSD's order.
DIMENSIONS = ["FREQ", "REF_AREA", "SERIES", "SEX", "AGE", "TIME_PERIOD"]
ATTRIBUTES = ["OBS_STATUS", "CONF_STATUS", "UNIT_MEASURE"]


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


def dsd_xml() -> str:
    from pysdmx.io import write_sdmx
    from pysdmx.io.format import Format
    from pysdmx.model import Concept, DataType
    from pysdmx.model.dataflow import Component, Components, DataStructureDefinition, Role

    with translation.override("en"):
        codelists = {
            "FREQ": _codelist("CL_FREQ", [("A", "Annual")]),
            "REF_AREA": _codelist("CL_AREA", area_codes()),
            "SERIES": _codelist(
                "CL_SERIES", [("VC_HTF_DETV", "Detected victims of human trafficking")]
            ),
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
            *(component(d, Role.DIMENSION, DataType.STRING) for d in DIMENSIONS),
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
        name="Detected victims of trafficking in persons (CTIP, GLOTIP framework)",
        description="Codes aligned with IAEG-SDGs:DF_SDG_GLH, series VC_HTF_DETV.",
    )
    return str(write_sdmx([*codelists.values(), dsd], Format.STRUCTURE_SDMX_ML_3_0))
