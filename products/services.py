"""Writes for products: recording scans of printed codes."""

from .models import Scan
from .user_agents import device_class, in_app_browser, is_bot


def scan_record(*, product_id: int, batch_id: int | None, user_agent: str) -> Scan | None:
    """Record one scan as a single INSERT; link-preview bots are not recorded (None).

    No read-modify-write counter, so concurrent scans never overwrite each other, and no
    ``full_clean``: its foreign-key checks would cost two queries on the hot redirect path,
    while the ids come straight from the code lookup. Nothing about the person is kept.
    """
    if is_bot(user_agent):
        return None
    return Scan.objects.create(
        product_id=product_id,
        batch_id=batch_id,
        device=device_class(user_agent),
        in_app=in_app_browser(user_agent),
    )
