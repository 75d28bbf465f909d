"""A property over every protected selector (issue 11): for any entities, users, roles and
objects that hypothesis draws, a selector returns nothing of another entity, and an identity
is read only by a role the app's policy names, in the entity that holds it.

Each example builds its own small world in a transaction that is rolled back after it.
"""

from __future__ import annotations

import datetime

from django.conf import settings as django_settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from ctip.cases import selectors as case_selectors
from ctip.cases import services as case_services
from ctip.cases.tests.builders import a_case
from ctip.conduct import selectors as conduct_selectors
from ctip.conduct import services as conduct_services
from ctip.conduct.tests.builders import record
from ctip.core import selectors as core_selectors
from ctip.core.codes import EntityKind, Role
from ctip.core.models import Country, Entity, User
from ctip.core.reference import load_reference_data
from ctip.core.testing import make_entity, make_user
from ctip.statistics import selectors as statistics_selectors
from ctip.statistics import services as statistics_services

ROLES = st.sampled_from(sorted(Role.values))
REFUSED = (PermissionDenied, Http404)


def _refused_or(call):
    try:
        return call()
    except REFUSED:
        return None


class SelectorsNeverCrossEntities(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        load_reference_data()
        cls.entities = [make_entity(kind=EntityKind.UN_MISSION) for _ in range(3)]
        cls.operator = Entity.objects.filter(code=django_settings.CTIP_OPERATOR_ENTITY).first()
        if cls.operator is None:
            cls.operator = make_entity(django_settings.CTIP_OPERATOR_ENTITY)
        cls.round = statistics_services.round_open(
            actor=None, year=2025, deadline=datetime.date(2026, 6, 30)
        )

    def user(self, entity: Entity, role: str) -> User:
        found = User.objects.filter(entity=entity, role=role).first()
        return found or make_user(entity, role)

    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(
        owners=st.lists(st.integers(0, 2), min_size=1, max_size=4),
        viewer_entity=st.integers(0, 3),  # 3 is the operator entity
        viewer_role=ROLES,
    )
    def test_selectors_return_only_what_the_viewer_may_see(
        self, owners: list[int], viewer_entity: int, viewer_role: str
    ) -> None:
        # given objects of the drawn entities, made by their own staff
        cases, allegations, submissions = [], [], []
        for owner in owners:
            entity = self.entities[owner]
            worker = self.user(entity, Role.CASEWORKER)
            cases.append(a_case(worker, caseworker=str(worker.pk)))
            allegations.append(record(self.user(entity, Role.CONDUCT_OFFICER)))
            submissions.append(
                statistics_services.submission_start(
                    actor=self.user(entity, Role.FOCAL_POINT),
                    round_=self.round,
                    country=Country.objects.get(alpha3=("CAF", "IRQ", "MLI")[owner]),
                )
            )
        viewer_home = [*self.entities, self.operator][viewer_entity]
        viewer = self.user(viewer_home, viewer_role)
        system_wide_conduct = viewer_home == self.operator and viewer_role == Role.CONDUCT_OFFICER
        sees_all_submissions = viewer_role in {Role.ANALYST, Role.ADMINISTRATOR}

        # then every list holds the viewer's own entity only (or what the policy opens wider)
        for found in _refused_or(lambda: list(case_selectors.cases_for(user=viewer))) or []:
            assert found.entity_id == viewer.entity_id
        for found in _refused_or(lambda: list(case_selectors.screenings_for(user=viewer))) or []:
            assert found.entity_id == viewer.entity_id
        for found in _refused_or(lambda: list(case_selectors.tips_for(user=viewer))) or []:
            assert found.entity_id == viewer.entity_id
        for found in _refused_or(lambda: list(conduct_selectors.allegations_for(viewer))) or []:
            assert system_wide_conduct or found.entity_id == viewer.entity_id
        for found in (
            _refused_or(lambda: list(statistics_selectors.submissions_for(user=viewer))) or []
        ):
            assert sees_all_submissions or found.entity_id == viewer.entity_id
        for found in core_selectors.jobs_for(user=viewer):
            assert found.owner_id == viewer.pk

        # and each object alone: another entity's is refused as missing, never shown
        for case in cases:
            got = _refused_or(
                lambda case=case: case_selectors.case_get(user=viewer, case_id=case.pk)
            )
            assert got is None or case.entity_id == viewer.entity_id
            identity = _refused_or(
                lambda case=case: case_services.identity_view(actor=viewer, case=case)
            )
            may = case.entity_id == viewer.entity_id and (
                viewer_role == Role.FOCAL_POINT
                or (viewer_role == Role.CASEWORKER and case.caseworker_id == viewer.pk)
            )
            assert (identity is not None) == may, (viewer_role, case.entity_id, viewer.entity_id)
        for allegation in allegations:
            got = _refused_or(lambda a=allegation: conduct_selectors.allegation_get(viewer, a.pk))
            assert got is None or system_wide_conduct or allegation.entity_id == viewer.entity_id
            identities = _refused_or(
                lambda a=allegation: conduct_services.identities_view(actor=viewer, allegation=a)
            )
            may = viewer_role == Role.CONDUCT_OFFICER and (
                system_wide_conduct or allegation.entity_id == viewer.entity_id
            )
            assert (identities is not None) == may
        for submission in submissions:
            got = _refused_or(
                lambda s=submission: statistics_selectors.submission_get(
                    user=viewer, submission_id=s.pk
                )
            )
            assert got is None or sees_all_submissions or submission.entity_id == viewer.entity_id
