"""Mail when a commitment moves (docs/epost.md): submitted to its reviewers, approved or
returned (with the comment) to those who write its owner's commitments.

``atagande_notify_on_commit`` is called by the workflow services inside their transaction;
the task goes to Celery once the transaction commits. The key is the commitment's version
after the transition, so each transition mails once, however often the task runs.
"""

from avdelningar.access import BOARD_ROLES
from avdelningar.mail import absolute_url, holders, project_leaders, utskick_send
from avdelningar.models import Epost, Roll

from .models import Atagande

TEMPLATES = {
    "submitted": (Epost.ATAGANDE_INSKICKAT, "atagande_inskickat"),
    "approved": (Epost.ATAGANDE_GRANSKAT, "atagande_godkant"),
    "returned": (Epost.ATAGANDE_GRANSKAT, "atagande_atersant"),
}


def atagande_notify_on_commit(atagande, event, user):
    from .tasks import notify_atagande

    notify_atagande.delay_on_commit(atagande.pk, event, atagande.version, user.pk if user else None)


def reviewers(atagande, *, exclude_user_id=None):
    """Who reviews it: the project leader(s), and for a department's commitment the
    area's coordinator (Atagande.may_review)."""
    out = project_leaders(exclude_user_id=exclude_user_id)
    if atagande.avdelning_id:
        out += holders(
            roles=[Roll.SAMORDNARE],
            nuts_omrade_id=atagande.avdelning.nuts_omrade_id,
            exclude_user_id=exclude_user_id,
        )
    return out


def owners(atagande, *, exclude_user_id=None):
    """Who writes the owner's commitments: a department's board, an area's coordinator,
    the project leader for national ones (Atagande.may_write)."""
    if atagande.avdelning_id:
        return holders(
            roles=BOARD_ROLES, avdelning_id=atagande.avdelning_id, exclude_user_id=exclude_user_id
        )
    if atagande.nuts_omrade_id:
        return holders(
            roles=[Roll.SAMORDNARE],
            nuts_omrade_id=atagande.nuts_omrade_id,
            exclude_user_id=exclude_user_id,
        )
    return project_leaders(exclude_user_id=exclude_user_id)


def atagande_notify(
    *, atagande_id: int, event: str, version: int, actor_id: int | None = None
) -> int:
    """Send the mail of one transition. Returns the number of mails sent."""
    atagande = (
        Atagande.objects.select_related("avdelning", "nuts_omrade", "verksamhetsmal")
        .filter(pk=atagande_id)
        .first()
    )
    if atagande is None or event not in TEMPLATES:
        return 0
    kind, template = TEMPLATES[event]
    find = reviewers if event == "submitted" else owners
    return utskick_send(
        kind=kind,
        key=f"atagande:{atagande.pk}:{event}:v{version}",
        recipients=find(atagande, exclude_user_id=actor_id),
        template=template,
        context={
            "a": atagande,
            "url": absolute_url(atagande.get_absolute_url()),
            "comment": atagande.review_note if event != "submitted" else "",
        },
    )
