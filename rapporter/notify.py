"""Mail about reports (docs/epost.md): a compiled version to whoever asked for it, an
approved one to the project leader(s) and the national board. Sent by the task
``notify_report`` after the transaction that finished or approved the version commits."""

from avdelningar.mail import absolute_url, holders, user_recipient, utskick_send
from avdelningar.models import Epost, Roll

from .models import Rapportversion


def rapport_notify(*, version_id: int, event: str) -> int:
    """Returns the number of mails sent (each once per version and event)."""
    v = Rapportversion.objects.select_related("nuts_omrade", "requested_by", "approved_by")
    v = v.filter(pk=version_id).first()
    if v is None:
        return 0
    if event == "compiled":
        if v.status != Rapportversion.Status.DONE:
            return 0
        kind, template = Epost.RAPPORT_KLAR, "rapport_klar"
        recipient = user_recipient(v.requested_by)
        recipients = [recipient] if recipient else []
    elif event == "approved":
        if not v.is_approved:
            return 0
        kind, template = Epost.RAPPORT_GODKAND, "rapport_godkand"
        recipients = holders(
            roles=[Roll.PROJEKTLEDARE, Roll.FORBUNDSSTYRELSE],
            exclude_user_id=v.approved_by_id,
        )
    else:
        return 0
    return utskick_send(
        kind=kind,
        key=f"rapport:{v.pk}:{event}",
        recipients=recipients,
        template=template,
        context={"v": v, "url": absolute_url(v.get_absolute_url())},
    )
