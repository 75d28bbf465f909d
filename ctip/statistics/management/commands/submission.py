from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ctip.statistics import selectors, services
from ctip.statistics.management.commands._acting import ActingCommand, acting_user

STEPS = {
    "submit": lambda user, found, comment: services.submission_submit(actor=user, submission=found),
    "return": lambda user, found, comment: services.submission_return(
        actor=user, submission=found, comment=comment
    ),
    "validate": lambda user, found, comment: services.submission_validate(
        actor=user, submission=found
    ),
}


class Command(ActingCommand):
    help = (
        "Submit, return or validate a submission as a user, with the page's rules and audit: "
        "ctip submission submit|return|validate ID --as EMAIL [--comment TEXT]"
    )
    not_found_message = gettext_noop("No submission %(submission_id)s that %(as_user)s may see.")

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("step", choices=sorted(STEPS))
        parser.add_argument("submission_id", type=int)
        parser.add_argument("--comment", default="", help="what to correct (return)")
        super().add_arguments(parser)

    def handle(self, *args: Any, step: str, submission_id: int, comment: str, **options: Any):  # type: ignore[no-untyped-def]
        user = acting_user(options["as_user"])
        found = selectors.submission_get(user=user, submission_id=submission_id)
        done = STEPS[step](user, found, comment)
        self.stdout.write(
            _("Submission %(id)s (%(submission)s), status now: %(status)s.")
            % {"id": done.pk, "submission": done, "status": done.get_status_display()}
        )
