"""Permanent short codes of products and batches: issued once, never reused."""

from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.models import Page

from .. import codes


class ShortCode(models.Model):
    """A short code once issued to a product or batch; rows are never deleted, so never reused."""

    code = models.CharField(_("mã"), max_length=8, unique=True)
    product = models.ForeignKey(
        "ProductPage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    batch = models.ForeignKey(
        "Batch", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Where the product last lived, so a code of a deleted product can still show the
    # producer's contact and the commune's other products.
    producer = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    commune = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_at = models.DateTimeField(_("ngày cấp"), default=timezone.now)

    class Meta:
        verbose_name = _("mã rút gọn")
        verbose_name_plural = pgettext_lazy("plural", "mã rút gọn")

    def __str__(self):
        return self.code

    @classmethod
    def allocate(cls) -> "ShortCode":
        """Reserve a fresh code; a collision with any code ever issued just draws again."""
        for _attempt in range(20):
            try:
                with transaction.atomic():
                    return cls.objects.create(code=codes.new_code())
            except IntegrityError:
                continue
        raise RuntimeError("no free short code after 20 draws")

    @classmethod
    def attach(cls, code: str, *, product, batch=None) -> None:
        """Point an allocated code at its product (and batch) and remember where it lives."""
        producer_path = product.path[: -Page.steplen]
        commune_path = product.path[: 2 * Page.steplen]
        ids = dict(
            Page.objects.filter(path__in=[producer_path, commune_path]).values_list("path", "id")
        )
        cls.objects.filter(code=code).update(
            product_id=product.pk,
            batch_id=batch.pk if batch else None,
            producer_id=ids.get(producer_path),
            commune_id=ids.get(commune_path),
        )
