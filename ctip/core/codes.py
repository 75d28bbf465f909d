"""Code lists shared by every app, with the external standard's code as the stored value.

Sex and age use the SDMX codes of SDG indicator 16.2.2 (dataflow IAEG-SDGs DF_SDG_GLH,
series VC_HTF_DETV) so that exports need no mapping; the victim-level lists use the
HTCDS v2.0 value names (IOM, UNMigration/HTCDS). The age bands are CTDC's.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class EntityKind(models.TextChoices):
    UN_MISSION = "un_mission", _("UN mission")
    UN_AGENCY = "un_agency", _("UN agency")
    MEMBER_STATE = "member_state", _("Member State authority")
    NGO = "ngo", _("Non-governmental organization")
    SERVICE_PROVIDER = "service_provider", _("Service provider")


class Role(models.TextChoices):
    CASEWORKER = "caseworker", _("Caseworker")
    FOCAL_POINT = "focal_point", _("Focal point")
    ANALYST = "analyst", _("Analyst")
    CONDUCT_OFFICER = "conduct_officer", _("Conduct and discipline officer")
    LEGAL_OFFICER = "legal_officer", _("Legal officer")
    ADMINISTRATOR = "administrator", _("Administrator")
    MONITOR = "monitor", _("Monitor (human rights or child protection officer)")
    FUND_MANAGER = "fund_manager", _("Fund manager")
    PROCUREMENT_OFFICER = "procurement_officer", _("Procurement officer")


# Roles whose accounts cannot be used without a second factor.
# A monitor holds sources' and abductees' identities: a leak can get them killed; a fund
# manager knows which NGO shelters victims where.
ROLES_REQUIRING_TWO_FACTOR = frozenset(
    {Role.ANALYST, Role.ADMINISTRATOR, Role.MONITOR, Role.FUND_MANAGER}
)


class Sex(models.TextChoices):
    """SDMX CL_SEX as used by DF_SDG_GLH."""

    FEMALE = "F", pgettext_lazy("sex", "Female")
    MALE = "M", pgettext_lazy("sex", "Male")
    UNKNOWN = "_U", pgettext_lazy("sex", "Unknown")
    TOTAL = "_T", pgettext_lazy("sex", "Total")


class AgeGroup(models.TextChoices):
    """SDMX CL_AGE groups of the GLOTIP tables: children, adults."""

    CHILD = "Y0T17", _("Children (0 to 17 years)")
    ADULT = "Y_GE18", _("Adults (18 years or over)")
    UNKNOWN = "_U", pgettext_lazy("age", "Unknown")
    TOTAL = "_T", pgettext_lazy("age", "Total")


class AgeBand(models.TextChoices):
    """CTDC's broad age bands for individual records."""

    Y0_8 = "0--8", _("0 to 8 years")
    Y9_17 = "9--17", _("9 to 17 years")
    Y18_20 = "18--20", _("18 to 20 years")
    Y21_23 = "21--23", _("21 to 23 years")
    Y24_26 = "24--26", _("24 to 26 years")
    Y27_29 = "27--29", _("27 to 29 years")
    Y30_38 = "30--38", _("30 to 38 years")
    Y39_47 = "39--47", _("39 to 47 years")
    Y48_PLUS = "48+", _("48 years or over")
    UNKNOWN = "unknown", pgettext_lazy("age", "Unknown")

    @property
    def age_group(self) -> AgeGroup:
        if self is AgeBand.UNKNOWN:
            return AgeGroup.UNKNOWN
        return AgeGroup.CHILD if self in (AgeBand.Y0_8, AgeBand.Y9_17) else AgeGroup.ADULT


class FormOfExploitation(models.TextChoices):
    """HTCDS v2.0 vic_TypeOfExploitation."""

    FORCED_LABOUR = "ForcedLabour", _("Forced labour")
    SEXUAL_EXPLOITATION = "SexualExploitation", _("Sexual exploitation")
    CHILD_LABOUR = "ChildLabour", _("Child labour")
    FORCED_MARRIAGE = "ForcedMarriage", _("Forced marriage")
    SERVITUDE = "Servitude", _("Servitude")
    FORCED_MILITARY = (
        "ForcedMilitaryByNonStateActors",
        _("Forced military service by non-state armed groups"),
    )
    ORGAN_REMOVAL = "OrganRemoval", _("Removal of organs")
    FORCED_BEGGING = "ForcedBegging", _("Forced begging")
    FORCED_ADOPTION = "ForcedAdoption", _("Forced adoption")
    SURROGACY = "Surrogacy", _("Surrogacy")
    OTHER = "Other", pgettext_lazy("exploitation", "Other")


class MeansOfControl(models.TextChoices):
    """HTCDS v2.0 vic_MethodsOfControl."""

    PHYSICAL_THREATS = "PhysicalThreats", _("Threats of physical harm")
    THREATS_LAW_ENFORCEMENT = "ThreatsLawEnforcement", _("Threats of law enforcement action")
    THREATENS_FAMILY = "ThreatensChildrenFamily", _("Threats against children or family")
    DEBT_BONDAGE = "DebtBondage", _("Debt bondage")
    FALSE_PROMISES = "FalsePromises", _("False promises")
    PHYSICAL_ABUSE = "PhysicalAbuse", _("Physical abuse")
    SEXUAL_ABUSE = "SexualAbuse", _("Sexual abuse")
    TAKES_EARNINGS = "TakesEarnings", _("Takes earnings")
    RESTRICTS_FINANCIAL_ACCESS = "RestrictsFinancialAccess", _("Restricts financial access")
    RESTRICTS_MEDICAL_CARE = "RestrictsMedicalCare", _("Restricts medical care")
    WITHHOLDS_NECESSITIES = "WithholdsNecessities", _("Withholds necessities")
    PSYCHOLOGICAL_ABUSE = "PsychologicalAbuse", _("Psychological abuse")
    PSYCHOACTIVE_SUBSTANCE = "PsychoactiveSubstance", _("Psychoactive substances")
    EXCESSIVE_WORKING_HOURS = "ExcessiveWorkingHours", _("Excessive working hours")
    WITHHOLDS_DOCUMENTS = "WithholdsDocuments", _("Withholds identity documents")
    OTHER = "Other", pgettext_lazy("control", "Other")


class RecruiterRelation(models.TextChoices):
    """HTCDS v2.0 vic_RelationshipToTrafficker (the standard's spelling kept in the code)."""

    FAMILIAL = "Familial", _("Family member")
    ACQUAINTED = "Acquainted", _("Acquaintance")
    UNACQUAINTED = "Unaquainted", _("Stranger")
    UNKNOWN = "Unknown", pgettext_lazy("relation", "Unknown")


class TraffickingStatus(models.TextChoices):
    """HTCDS v2.0 vic_TraffickingStatus."""

    POSSIBLE = "PossibleVictimOfTrafficking", _("Possible victim of trafficking")
    ACTUAL = "ActualVictimOfTrafficking", _("Actual victim of trafficking")
    NOT_A_VICTIM = "NotAVictimOfTrafficking", _("Not a victim of trafficking")


class StatusDecidedBy(models.TextChoices):
    """HTCDS v2.0 vic_TraffickingStatusDecisionMakingOrg."""

    POLICE = "Police", _("Police")
    NGO = "NGO", _("Non-governmental organization")
    COURT_OR_PROSECUTION = "CourtOrProsecution", _("Court or prosecution")
    NON_POLICE_GOVERNMENT = (
        "NonPoliceGovernmentalOrganization",
        _("Government body other than the police"),
    )
    OTHER = "Other", pgettext_lazy("decided by", "Other")


class DisplacementStatus(models.TextChoices):
    """Displacement and protection status, following UNHCR/IOM categories."""

    REFUGEE = "refugee", _("Refugee")
    ASYLUM_SEEKER = "asylum_seeker", _("Asylum seeker")
    IDP = "idp", _("Internally displaced person")
    RETURNEE = "returnee", _("Returnee")
    STATELESS = "stateless", _("Stateless person")
    EX_COMBATANT = "ex_combatant", _("Former combatant or person associated with armed groups")
    UNACCOMPANIED_CHILD = "unaccompanied_child", _("Unaccompanied or separated child")
    MIGRANT = "migrant", _("Migrant")
    HOST_COMMUNITY = "host_community", _("Host community member")
    NOT_DISPLACED = "not_displaced", _("Not displaced")
    UNKNOWN = "unknown", pgettext_lazy("displacement", "Unknown")


CODE_LISTS: dict[str, type[models.TextChoices]] = {
    "entity-kind": EntityKind,
    "role": Role,
    "sex": Sex,
    "age-group": AgeGroup,
    "age-band": AgeBand,
    "form-of-exploitation": FormOfExploitation,
    "means-of-control": MeansOfControl,
    "recruiter-relation": RecruiterRelation,
    "trafficking-status": TraffickingStatus,
    "status-decided-by": StatusDecidedBy,
    "displacement-status": DisplacementStatus,
}


class JobKind(models.TextChoices):
    """What a background job does, as people read it (`Job.kind` holds the code)."""

    AUDIT_EXPORT = "audit_export", _("Export of the audit log")
    STATISTICS_IMPORT = "statistics_import", _("Import of statistics")
