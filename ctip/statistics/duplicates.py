"""The analyst's work on clusters of probable duplicates: proposing them (ctip.statistics.dedup
finds them), exporting them, deciding each, and undoing a decision taken by mistake."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ctip.core.audit import audit_record
from ctip.core.models import User
from ctip.statistics import policies
from ctip.statistics.codes import StatisticsAction
from ctip.statistics.models import DuplicateCluster, DuplicateMember, ReportingRound


@transaction.atomic
def dedup_run(*, actor: User | None, round_: ReportingRound, actor_label: str = "") -> int:
    """Propose clusters of probable duplicates across entities; decided ones are kept."""
    from ctip.statistics.dedup import find_clusters

    if actor is not None:
        policies.require(actor, policies.REVIEWERS)
    round_.clusters.filter(status=DuplicateCluster.Status.PROPOSED).delete()
    clusters = find_clusters(round_.pk)
    stored = DuplicateCluster.objects.bulk_create(
        [
            DuplicateCluster(
                round=round_, match_probability=found.match_probability, similarity=found.similarity
            )
            for found in clusters
        ],
        batch_size=2000,
    )
    DuplicateMember.objects.bulk_create(
        (
            DuplicateMember(
                cluster=cluster,
                record_id=record_id,
                match_probability=found.record_probability.get(record_id),
            )
            for cluster, found in zip(stored, clusters, strict=True)
            for record_id in found.record_ids
        ),
        batch_size=5000,
    )
    audit_record(
        actor=actor,
        actor_label=actor_label,
        action=StatisticsAction.DEDUP_RUN,
        target=round_,
        details={"year": round_.year, "clusters": len(clusters)},
    )
    return len(clusters)


DUPLICATE_EXPORT_COLUMNS = ["cluster_id", "entity", "record_id", "match_probability"]


@transaction.atomic
def duplicates_export(
    *, actor: User | None, round_: ReportingRound, actor_label: str = ""
) -> list[tuple[int, str, str, str]]:
    """One row per record of the round's proposed and confirmed clusters (audited)."""
    if actor is not None:
        policies.require(actor, policies.REVIEWERS)
    members = (
        DuplicateMember.objects.filter(cluster__round=round_)
        .exclude(cluster__status=DuplicateCluster.Status.REJECTED)
        .order_by("cluster_id", "record_id")
        .values_list(
            "cluster_id",
            "record__submission__entity__code",
            "record__record_uuid",
            "match_probability",
            "cluster__match_probability",
        )
    )
    rows = [
        (cluster, entity, str(record), f"{(own if own is not None else overall):.4f}")
        for cluster, entity, record, own, overall in members
    ]
    audit_record(
        actor=actor,
        actor_label=actor_label,
        action=StatisticsAction.EXPORTED,
        target=round_,
        details={"year": round_.year, "duplicates": len(rows)},
    )
    return rows


@transaction.atomic
def dedup_decide(*, actor: User, cluster: DuplicateCluster, same_person: bool) -> DuplicateCluster:
    """Decide a proposed cluster; one decided meanwhile (another analyst, a stale page) is
    refused: a decision is changed only by undoing it first."""
    policies.require(actor, policies.REVIEWERS)
    cluster = DuplicateCluster.objects.select_for_update().get(pk=cluster.pk)
    if cluster.status != DuplicateCluster.Status.PROPOSED:
        raise ValidationError(
            _("Cluster %(n)s was decided meanwhile (%(status)s): undo that decision first.")
            % {"n": cluster.pk, "status": cluster.get_status_display()}
        )
    cluster.status = (
        DuplicateCluster.Status.CONFIRMED if same_person else DuplicateCluster.Status.REJECTED
    )
    cluster.decided_by, cluster.decided_at = actor, timezone.now()
    cluster.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(
        actor=actor,
        action=StatisticsAction.DEDUP_DECIDED,
        target=cluster,
        details={"same_person": same_person, "records": cluster.members.count()},
    )
    return cluster


@transaction.atomic
def dedup_undo(*, actor: User, cluster: DuplicateCluster) -> DuplicateCluster:
    """Put a decided cluster back among the proposed ones, as if it had not been decided."""
    policies.require(actor, policies.REVIEWERS)
    cluster = DuplicateCluster.objects.select_for_update().get(pk=cluster.pk)
    if cluster.status == DuplicateCluster.Status.PROPOSED:
        return cluster
    was = cluster.status
    cluster.status = DuplicateCluster.Status.PROPOSED
    cluster.decided_by, cluster.decided_at = None, None
    cluster.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(
        actor=actor,
        action=StatisticsAction.DEDUP_UNDONE,
        target=cluster,
        details={"was": was, "records": cluster.members.count()},
    )
    return cluster
