"""Admin panels for product pages: the QR code, its downloads and recent scans (read-only)."""

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
