"""Mail about reports (docs/epost.md): a compiled version to whoever asked for it; the
steering group's decision to the project leader(s) and the requester, and an approval to
the national board too. Sent by the task ``notify_report`` after the transaction that
finished the version or recorded the decision commits."""

from avdelningar.mail import absolute_url, holders, user_recipient, utskick_send
from avdelningar.models import Epost, Roll

from .models import Beslut, Rapportversion

# The decision's mails share the opt-out kind of "the steering group has approved a
# report": a kind of its own needs a new Epost choice (an avdelningar migration).
DECISIONS = {
    "approved": (
        Beslut.Kind.APPROVE,
        "rapport_godkand",
        [Roll.PROJEKTLEDARE, Roll.FORBUNDSSTYRELSE],
    ),
    "returned": (Beslut.Kind.RETURN, "rapport_atersand", [Roll.PROJEKTLEDARE]),
}


def rapport_notify(*, version_id: int, event: str) -> int:
    """Returns the number of mails sent (each once per version and event)."""
    v = Rapportversion.objects.select_related("nuts_omrade", "requested_by", "approved_by")
    v = v.filter(pk=version_id).first()
    if v is None:
        return 0
    if event == "compiled":
        if v.status != Rapportversion.Status.DONE:
            return 0
        recipient = user_recipient(v.requested_by)
        return utskick_send(
            kind=Epost.RAPPORT_KLAR,
            key=f"rapport:{v.pk}:{event}",
            recipients=[recipient] if recipient else [],
            template="rapport_klar",
            context={"v": v, "url": absolute_url(v.get_absolute_url())},
        )
    if event not in DECISIONS:
        return 0
    kind, template, roles = DECISIONS[event]
    beslut = Beslut.objects.filter(version=v, kind=kind).select_related("decided_by").first()
    if event == "approved" and not v.is_approved:
        return 0
    if event == "returned" and beslut is None:
        return 0
    # Approvals made before decisions were recorded have none; the mail says less.
    decider_id = beslut.decided_by_id if beslut else v.approved_by_id
    recipients = holders(roles=roles, exclude_user_id=decider_id)
    requester = user_recipient(v.requested_by)
    if requester and v.requested_by_id != decider_id:
        recipients.append(requester)
    return utskick_send(
        kind=Epost.RAPPORT_GODKAND,
        key=f"rapport:{v.pk}:{event}",
        recipients=recipients,
        template=template,
        context={
            "v": v,
            "beslut": beslut,
            "url": absolute_url(v.get_absolute_url()),
            "compile_url": absolute_url(v.compile_again_url()),
        },
    )
