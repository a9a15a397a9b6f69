"""Admin views for QR codes: the batch viewset and the weekly scan report, scoped by page rights."""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.widgets import AdminPageChooser
from wagtail.log_actions import log
from wagtail.snippets.views import chooser as snippet_chooser
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from commune_site.ids import ModelIdChoiceField, ModelIdMultipleChoiceField

from .models import Batch, ProductPage
from .permissions import BatchPermissionPolicy
from .selectors import products_visible_to, scan_table, scans_visible_to
from .services import batch_create


class BatchForm(WagtailAdminModelForm):
    """Batch form: the product must be one the user may edit."""

    def clean_product(self):
        product = self.cleaned_data.get("product")
        if product and not products_visible_to(self.for_user).filter(pk=product.pk).exists():
            raise forms.ValidationError(_("Bạn không có quyền sửa sản phẩm này."))
        return product


def batches_for(user):
    """The batches a user may see anywhere in the admin: those of products they may edit."""
    return BatchPermissionPolicy().instances_user_has_any_permission_for(user, ["change"])


class InstancePermissionMixin:
    """Snippet views check the model only; batches also need the right to edit their product."""

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        if not batches_for(self.request.user).filter(pk=obj.pk).exists():
            raise PermissionDenied
        return obj


class BatchEditView(InstancePermissionMixin, snippet_views.EditView):
    pass


class BatchDeleteView(InstancePermissionMixin, snippet_views.DeleteView):
    pass


class BatchHistoryView(InstancePermissionMixin, snippet_views.HistoryView):
    pass


class BatchUsageView(InstancePermissionMixin, snippet_views.UsageView):
    pass


class ScopedChooserMixin:
    """The batch chooser lists, and hands back, only batches of products the user may edit."""

    def get_object_list(self):
        return batches_for(self.request.user)


class BatchCreationForm(BatchForm):
    """The chooser's "add" tab: a new lot of one of the user's products, chosen from a list.

    A plain list rather than the page chooser, which cannot open inside the chooser's modal;
    it offers only products the user may edit, so no other producer's title is shown.
    """

    class Meta:
        model = Batch
        fields = [
            "product",
            "lot_code",
            "growing_area_code",
            "produced_on",
            "expires_on",
            "quantity",
            "unit",
            "certifications",
            "notes",
        ]
        widgets = {"certifications": forms.CheckboxSelectMultiple}
        field_classes = {
            "product": ModelIdChoiceField,
            "certifications": ModelIdMultipleChoiceField,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products_visible_to(self.for_user).order_by("title", "pk")


class BatchCreationFormMixin:
    """Wagtail builds the chooser's creation form from request data only; ours needs the user."""

    creation_form_class = BatchCreationForm

    def get_creation_form_kwargs(self):
        return {**super().get_creation_form_kwargs(), "for_user": self.request.user}


class BatchChooseView(ScopedChooserMixin, BatchCreationFormMixin, snippet_chooser.ChooseView):
    pass


class BatchChooseResultsView(
    ScopedChooserMixin, BatchCreationFormMixin, snippet_chooser.ChooseResultsView
):
    pass


class BatchCreateView(BatchCreationFormMixin, snippet_chooser.SnippetCreateView):
    """Creates the lot through the service, as every other way of adding one does."""

    def post(self, request):
        self.form = self.get_creation_form()
        if self.form.is_valid():
            try:
                batch = batch_create(**self.form.cleaned_data)
            except ValidationError as error:  # e.g. the same lot code saved meanwhile
                self.form.add_error(None, error)
            else:
                log(instance=batch, action="wagtail.create", user=request.user)
                return self.get_chosen_response(batch)
        return self.get_reshow_creation_form_response()


class BatchChosenView(snippet_chooser.SnippetChosenView):
    def get_object(self, pk):
        return batches_for(self.request.user).get(pk=pk)


class BatchChosenMultipleView(snippet_chooser.SnippetChosenMultipleView):
    def get_objects(self, pks):
        return batches_for(self.request.user).filter(pk__in=pks)


class BatchChooserViewSet(snippet_chooser.SnippetChooserViewSet):
    choose_view_class = BatchChooseView
    choose_results_view_class = BatchChooseResultsView
    chosen_view_class = BatchChosenView
    chosen_multiple_view_class = BatchChosenMultipleView
    create_view_class = BatchCreateView
    creation_form_class = BatchCreationForm


class BatchViewSet(SnippetViewSet):
    """Lots (lô hàng) of the products the user may edit; each lot gets its own QR code."""

    model = Batch
    icon = "list-ul"
    menu_label = _("Lô hàng")
    add_to_admin_menu = True
    menu_order = 250
    list_display = ["lot_code", "product", "produced_on", "expires_on", "short_code"]
    search_fields = ["lot_code"]
    ordering = ["-produced_on"]
    edit_handler = ObjectList(
        [
            FieldPanel("product", widget=AdminPageChooser(target_models=[ProductPage])),
            FieldRowPanel([FieldPanel("lot_code"), FieldPanel("growing_area_code")]),
            FieldRowPanel([FieldPanel("produced_on"), FieldPanel("expires_on")]),
            FieldRowPanel([FieldPanel("quantity"), FieldPanel("unit")]),
            MultiFieldPanel(
                [FieldPanel("certifications", widget=forms.CheckboxSelectMultiple)],
                heading=_("Tiêu chuẩn áp dụng"),
            ),
            FieldPanel("notes"),
        ],
        base_form_class=BatchForm,
    )
    chooser_viewset_class = BatchChooserViewSet
    edit_view_class = BatchEditView
    delete_view_class = BatchDeleteView
    history_view_class = BatchHistoryView
    usage_view_class = BatchUsageView

    def get_queryset(self, request):
        return self.permission_policy.instances_user_has_any_permission_for(
            request.user, ["change"]
        ).select_related("product")


def scan_report(request):
    """Scans per product per week (8 weeks) or per day (14 days), for products the user may edit."""
    period = "day" if request.GET.get("period") == "day" else "week"
    products = (
        products_visible_to(request.user)
        .filter(pk__in=scans_visible_to(request.user).values("product_id"))
        .order_by("title")
    )
    starts, rows = scan_table(products, period=period, count=14 if period == "day" else 8)
    rows.sort(key=lambda row: (-row["total"], row["product"].title))
    return TemplateResponse(
        request,
        "products/admin/scan_report.html",
        {
            "period": period,
            "starts": starts,
            "rows": rows,
            "page_title": _("Lượt quét mã QR"),
        },
    )
