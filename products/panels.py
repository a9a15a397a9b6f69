"""Admin panels for product pages: the QR code, its downloads and recent scans (read-only), and
the warning that a product has no photo yet."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel


class QRCodePanel(Panel):
    """Shows the product's short link, QR code, download buttons and scans of the last 8 weeks."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "products/admin/qr_code_panel.html"

        def get_context_data(self, parent_context=None):
            from .selectors import qr_panel_data

            context = super().get_context_data(parent_context)
            context.update(qr_panel_data(self.instance, request=self.request))
            return context


# Said in the editor and again after publishing: a product may go live without a photo.
MISSING_PHOTO_MESSAGE = _(
    "Sản phẩm chưa có ảnh chính. Vẫn xuất bản được (người mua thấy ô “Ảnh đang cập nhật”), "
    "nhưng nên thêm ảnh thật: người mua tin và chọn sản phẩm có ảnh hơn."
)


class MissingPhotoPanel(Panel):
    """A warning above the photo field while the product has no main photo."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "products/admin/missing_photo_panel.html"

        def is_shown(self):
            return not getattr(self.instance, "image_id", None) and super().is_shown()

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["message"] = MISSING_PHOTO_MESSAGE
            return context
