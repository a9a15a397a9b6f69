"""Views of the producer portal: phone login, my products with one-tap quick edit, "nhập thay"."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth import login, logout
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.log_actions import log

from commune_site.ids import parse_id
from products.label_views import label_sheet_response
from products.models import ProductPage
from products.services import batch_create

from .access import ACTING_FOR_SESSION_KEY, host_commune, portal_access, producers_in
from .forms import (
    PortalBatchForm,
    PortalLabelForm,
    PortalLoginForm,
    ProductContentForm,
    ProductProposeForm,
    ProfileForm,
    QuickEditForm,
)
from .security import lockout_minutes
from .selectors import (
    portal_batches,
    portal_photos,
    portal_product,
    portal_products,
    portal_scan_table,
    product_moderation,
)
from .services import (
    producer_profile_submit,
    product_content_submit,
    product_photo_ids,
    product_propose,
    product_quick_edit,
    product_texts,
    story_as_text,
)

# The portal's sections, in the order of its tab bar: (URL name, label).
PORTAL_LINKS = [
    ("home", gettext_lazy("Sản phẩm của tôi")),
    ("sales", gettext_lazy("Bán hàng")),
    ("revenue", gettext_lazy("Doanh thu")),
    ("batches", gettext_lazy("Lô hàng của tôi")),
    ("labels", gettext_lazy("Tem QR của tôi")),
    ("scans", gettext_lazy("Lượt quét")),
    ("profile", gettext_lazy("Sửa giới thiệu")),
]


def _render(request, template, context, status=200):
    return render(request, template, {"portal_links": PORTAL_LINKS, **context}, status=status)


def _commune_or_404(request):
    commune = host_commune(request)
    if commune is None:
        # The portal belongs to a commune's site, not to the province showcase.
        raise Http404
    return commune


def _refused(request, access, status=403):
    return _render(request, "portal/refused.html", {"access": access}, status=status)


def portal_view(view):
    """Let in a producer of this host's commune, or its staff acting for one of its producers."""

    @wraps(view)
    @never_cache
    def wrapped(request, *args, **kwargs):
        commune = _commune_or_404(request)
        if not request.user.is_authenticated:
            return redirect(f"{reverse('portal:login')}?next={request.path}")
        access = portal_access(request.user, commune, request.session)
        if not access.allowed:
            if access.is_commune_staff:
                return redirect("portal:act_for")
            return _refused(request, access)
        request.portal = access
        return view(request, *args, **kwargs)

    return wrapped


def _products_page(request, bound_form=None, bound_pk=None, status=200):
    access = request.portal
    products = list(portal_products(access.producer))
    for product in products:
        product.quick_form = (
            bound_form if product.pk == bound_pk else QuickEditForm.for_product(product)
        )
        product.moderation = product_moderation(product)
    context = {
        "access": access,
        "products": products,
        "commune": access.commune,
        "portal_section": "home",
    }
    return _render(request, "portal/my_products.html", context, status=status)


@portal_view
def my_products(request):
    """My products: every product of the producer, each with its quick-edit form."""
    return _products_page(request)


def product_anchor_url(product) -> str:
    """The product's card on "Sản phẩm của tôi"."""
    return f"{reverse('portal:home')}#san-pham-{product.pk}"


@require_http_methods(["GET", "POST"])
@portal_view
def quick_edit(request, pk):
    """Save one product's price, unit, stock and season; a wrong or foreign id is a 404.

    After an error the address bar shows this URL; reloading or reopening it (a GET) leads
    back to the product's card on the portal page.
    """
    access = request.portal
    product = portal_product(access.producer, pk)
    if product is None:
        raise Http404
    if request.method == "GET":
        return redirect(product_anchor_url(product))
    form = QuickEditForm(request.POST, prefix=f"p{product.pk}")
    if form.is_valid():
        try:
            product_quick_edit(
                producer=access.producer,
                product=product,
                user=request.user,
                entered_by=access.entered_by,
                **form.cleaned_data,
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Đã lưu “%(title)s”.") % {"title": product.title})
            return redirect(product_anchor_url(product))
    return _products_page(request, bound_form=form, bound_pk=product.pk)


SENT_FOR_APPROVAL = gettext_lazy(
    "Đã gửi “%(title)s” cho cán bộ xã duyệt. Trang công khai chỉ đổi sau khi được duyệt."
)


@portal_view
def product_edit(request, pk):
    """A product's texts and photos: each save goes to the commune's moderation.

    Every button (save, or one photo's main/up/down/remove) sends the whole form, so what
    was typed is kept and saved with it; a refused photo keeps the typed text on the page.
    """
    access = request.portal
    product = portal_product(access.producer, pk)
    if product is None:
        raise Http404
    draft = product.get_latest_revision_as_object()
    photo_ids = product_photo_ids(draft)
    posted = request.method == "POST"  # an empty POST is a bound, invalid form too
    form = ProductContentForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        photo_ids=photo_ids,
        photo_action=request.POST.get("photo", ""),
        initial={"summary": draft.summary, **product_texts(draft)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            revision = product_content_submit(
                producer=access.producer,
                product=product,
                user=request.user,
                summary=form.cleaned_data["summary"],
                story_text=form.cleaned_data["story_text"],
                packaging=form.cleaned_data["packaging"],
                photo_ids=form.cleaned_data["photo_ids"],
                new_photos=form.new_photos(),
                entered_by=access.entered_by,
            )
        except PermissionDenied:
            # The photos changed since the page was drawn (another tab, a co-op member).
            form.add_error(None, _("Ảnh của sản phẩm vừa thay đổi. Hãy tải lại trang rồi thử lại."))
        else:
            if revision is None:
                messages.info(request, _("Không có gì thay đổi."))
            else:
                messages.success(request, SENT_FOR_APPROVAL % {"title": product.title})
            anchor = "#anh" if request.POST.get("photo") or form.new_photos() else ""
            return redirect(reverse("portal:product_edit", args=[product.pk]) + anchor)
    context = {
        "access": access,
        "form": form,
        "product": product,
        "moderation": product_moderation(product),
        "photos": portal_photos(photo_ids),
        "portal_section": "home",
    }
    return _render(
        request, "portal/product_edit.html", context, status=400 if form.is_bound else 200
    )


@portal_view
def product_new(request):
    """Propose a new product; it waits, unpublished, for the commune's staff to approve it."""
    access = request.portal
    posted = request.method == "POST"
    form = ProductProposeForm(
        request.POST if posted else None, request.FILES if posted else None
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            page = product_propose(
                producer=access.producer,
                user=request.user,
                title=data["title"],
                category=data["category"],
                price_vnd=data["price_vnd"],
                price_unit=data["price_unit"],
                summary=data["summary"],
                story_text=data["story_text"],
                packaging=data["packaging"],
                new_photos=form.new_photos(),
                entered_by=access.entered_by,
            )
        except ValidationError as error:
            for field, field_messages in error.message_dict.items():
                form.add_error(field if field in form.fields else None, field_messages)
        else:
            messages.success(request, SENT_FOR_APPROVAL % {"title": page.title})
            return redirect(f"{reverse('portal:home')}#san-pham-{page.pk}")
    context = {"access": access, "form": form, "portal_section": "home"}
    return _render(
        request, "portal/product_new.html", context, status=400 if form.is_bound else 200
    )


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request):
    """Log in with phone number and password; only accounts of this host's commune get in."""
    commune = _commune_or_404(request)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    if request.user.is_authenticated:
        current = portal_access(request.user, commune)
        if current.producer or current.is_commune_staff:
            return redirect(next_url or "portal:home")

    form = PortalLoginForm(request, request.POST or None, lockout_minutes=lockout_minutes())
    access = None
    if request.method == "POST" and form.is_valid():
        access = portal_access(form.user, commune)
        if access.producer or access.is_commune_staff:
            login(request, form.user)
            return redirect(next_url or "portal:home")
        # Right password, wrong commune (or no producer role): no session on this host.
        form.add_error(
            None,
            _("Tài khoản này không dùng được cổng nhà sản xuất của %(commune)s.")
            % {"commune": commune.title},
        )
    status = 200
    if access is not None:
        status = 403
    elif form.is_bound:
        status = 400
    return _render(
        request,
        "portal/login.html",
        {"form": form, "next": next_url, "commune": commune, "access": access},
        status=status,
    )


@require_POST
def logout_view(request):
    """Log out (POST only, so a link or an image cannot log anyone out)."""
    _commune_or_404(request)
    logout(request)
    messages.info(request, _("Bạn đã đăng xuất."))
    return redirect("portal:login")


@never_cache
def act_for(request):
    """Commune staff pick a producer of their commune to enter data for ("nhập thay")."""
    commune = _commune_or_404(request)
    if not request.user.is_authenticated:
        return redirect(f"{reverse('portal:login')}?next={request.path}")
    access = portal_access(request.user, commune, request.session)
    if not access.is_commune_staff:
        return _refused(request, access)
    producers = producers_in(commune)
    if request.method == "POST":
        picked = request.POST.get("producer") or ""
        producer_id = parse_id(picked)
        producer = producers.filter(pk=producer_id).first() if producer_id else None
        if producer is None:
            messages.error(request, _("Chọn một nhà sản xuất trong danh sách."))
        else:
            request.session[ACTING_FOR_SESSION_KEY] = producer.pk
            messages.success(
                request, _("Bạn đang nhập thay cho “%(title)s”.") % {"title": producer.title}
            )
            return redirect("portal:home")
    return _render(
        request,
        "portal/act_for.html",
        {"access": access, "producers": producers, "commune": commune},
    )


@require_POST
def act_for_stop(request):
    """Stop acting for a producer."""
    _commune_or_404(request)
    request.session.pop(ACTING_FOR_SESSION_KEY, None)
    return redirect("portal:act_for")


@portal_view
def labels(request):
    """My QR labels: pick my live products and batches, get an A4 PDF of labels."""
    access = request.portal
    products = ProductPage.objects.child_of(access.producer).live().order_by("title", "pk")
    batches = portal_batches(access.producer).filter(product__live=True)
    form = PortalLabelForm(
        request.POST or None,
        products=products,
        batches=batches,
        initial={"products": list(products.values_list("pk", flat=True))},
    )
    if request.method == "POST" and form.is_valid():
        return label_sheet_response(form.cleaned_data, name=f"tem-qr-{access.producer.slug}")
    return _render(
        request,
        "portal/labels.html",
        {"access": access, "form": form, "portal_section": "labels"},
        status=400 if form.is_bound else 200,
    )


@portal_view
def scans(request):
    """My scans: how often each of my products' QR codes was scanned, per day or per week."""
    access = request.portal
    period = "day" if request.GET.get("theo") == "ngay" else "week"
    starts, rows = portal_scan_table(access.producer, period=period)
    context = {
        "access": access,
        "period": period,
        "starts": starts,
        "rows": rows,
        "portal_section": "scans",
    }
    return _render(request, "portal/scans.html", context)


@portal_view
def batches(request):
    """My batches: the lots of my products, and a form to add one."""
    access = request.portal
    products = ProductPage.objects.child_of(access.producer).order_by("title", "pk")
    form = PortalBatchForm(request.POST or None, products=products)
    if request.method == "POST" and form.is_valid():
        try:
            batch = batch_create(**form.cleaned_data)
        except ValidationError as error:
            for field, messages_ in error.message_dict.items():
                form.add_error(field if field in form.fields else None, messages_)
        else:
            log(
                instance=batch,
                action="wagtail.create",
                user=request.user,
                data={
                    "entered_by": (
                        {"id": request.user.pk, "username": request.user.get_username()}
                        if access.entered_by
                        else None
                    )
                },
            )
            messages.success(
                request,
                _("Đã thêm lô %(lot)s cho “%(title)s”.")
                % {"lot": batch.lot_code, "title": batch.product.title},
            )
            return redirect("portal:batches")
    context = {
        "access": access,
        "form": form,
        "batches": portal_batches(access.producer),
        "portal_section": "batches",
    }
    return _render(request, "portal/batches.html", context, status=400 if form.is_bound else 200)


@portal_view
def profile(request):
    """Edit my introduction and photo; the commune's staff approve it before it is published."""
    access = request.portal
    page = access.producer
    draft = page.get_latest_revision_as_object()
    form = ProfileForm(
        request.POST or None,
        request.FILES or None,
        initial={"summary": draft.summary, "story_text": story_as_text(draft.story)},
    )
    if request.method == "POST" and form.is_valid():
        revision = producer_profile_submit(
            producer=page,
            user=request.user,
            entered_by=access.entered_by,
            **form.cleaned_data,
        )
        if revision is None:
            messages.info(request, _("Không có gì thay đổi."))
        else:
            messages.success(
                request, _("Đã gửi. Cán bộ xã sẽ duyệt trước khi nội dung mới hiện trên trang.")
            )
        return redirect("portal:profile")
    context = {
        "access": access,
        "form": form,
        "in_moderation": page.current_workflow_state is not None,
        "portal_section": "profile",
    }
    return _render(request, "portal/profile.html", context, status=400 if form.is_bound else 200)
