"""Filters of product lists (a commune's product index, the search page on every host).

Filters combine and live in plain GET parameters, so a filtered list is a link to share:

    ?danh-muc=trai-cay&ocop=4&chung-nhan=3&mua-vu=1&con-hang=1&gia-tu=50000&gia-den=200000

(and ``xa=<ward code>`` on the province showcase). Each choice shows how many products it would
give with the other filters kept ("facet counts"); they come from grouped queries whose number
is fixed (one grouped by category and commune for every choice but certifications, one for
those), never from a query per product or per choice.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django import forms
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import Certification, ProductCategory, ProductCertification, ProductPage

# Price bands offered as one-tap choices; each is what its link gives (both ends included).
PRICE_BANDS = [(None, 50_000), (50_000, 100_000), (100_000, 200_000), (200_000, 500_000),
               (500_000, None)]
MAX_PRICE = 10**12  # a thousand billion đồng: anything above is a typing accident
FILTER_KEYS = ("xa", "danh-muc", "ocop", "chung-nhan", "mua-vu", "con-hang", "gia-tu", "gia-den")


class PriceField(forms.IntegerField):
    """Whole đồng, typed the Vietnamese way or not: "50.000", "50 000 ₫", "50000đ"."""

    def to_python(self, value):
        if isinstance(value, str):
            value = re.sub(r"[\s.,₫đĐ]|vnd|VND", "", value)
            if len(value) > 20:  # int() of a 400-digit string is slow and means nothing here
                raise forms.ValidationError(self.error_messages["max_value"] % {
                    "limit_value": MAX_PRICE})
        return super().to_python(value)


class ProductFilterForm(forms.Form):
    """The filters a buyer sets; invalid values are reported and left out, never a 500."""

    def __init__(self, data, *, categories, certifications, communes=None):
        super().__init__(data)
        self.communes = communes
        if communes is not None:
            self.fields["xa"] = forms.TypedChoiceField(
                label=_("Phường/xã"),
                choices=[("", _("Tất cả"))] + [(str(c.ward_code), c.title) for c in communes],
                coerce=int,
                required=False,
                error_messages={"invalid_choice": _("Không có phường/xã này.")},
            )
        self.fields["danh-muc"] = forms.ChoiceField(
            label=_("Danh mục"),
            choices=[("", _("Tất cả"))] + [(c.slug, c.name) for c in categories],
            required=False,
            error_messages={"invalid_choice": _("Không có danh mục này.")},
        )
        self.fields["ocop"] = forms.TypedChoiceField(
            label=_("Hạng OCOP"),
            choices=[("", _("Tất cả"))] + list(ProductPage.OcopStars.choices),
            coerce=int,
            required=False,
            error_messages={"invalid_choice": _("Hạng OCOP là 3, 4 hoặc 5 sao.")},
        )
        self.fields["chung-nhan"] = forms.TypedChoiceField(
            label=_("Chứng nhận"),
            choices=[("", _("Tất cả"))] + [(str(c.pk), str(c)) for c in certifications],
            coerce=int,
            required=False,
            error_messages={"invalid_choice": _("Không có chứng nhận này.")},
        )
        self.fields["mua-vu"] = forms.BooleanField(label=_("Đang vào mùa"), required=False)
        self.fields["con-hang"] = forms.BooleanField(label=_("Còn hàng"), required=False)
        price_errors = {
            "invalid": _("Giá là số đồng, ví dụ 50.000."),
            "min_value": _("Giá không được âm."),
            "max_value": _("Giá quá lớn."),
        }
        for key, label in (("gia-tu", _("Giá từ")), ("gia-den", _("Giá đến"))):
            self.fields[key] = PriceField(
                label=label, required=False, min_value=0, max_value=MAX_PRICE,
                error_messages=price_errors,
            )

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("gia-tu"), cleaned.get("gia-den")
        if low is not None and high is not None and low > high:
            self.add_error("gia-den", _("“Giá đến” phải lớn hơn hoặc bằng “Giá từ”."))
        return cleaned

    def valid_values(self) -> dict:
        """The filters that passed validation, by key; a bad one is dropped, not fatal."""
        self.is_valid()
        values = {}
        for key in FILTER_KEYS:
            value = self.cleaned_data.get(key)
            if key in self.errors or value is None or value == "" or value is False:
                continue
            values[key] = value
        return values


def in_season_q(month: int) -> Q:
    """Products with no season (all year) or with ``month`` among theirs ("1,5,12")."""
    text = str(month)
    return (
        Q(season_months="")
        | Q(season_months=text)
        | Q(season_months__startswith=f"{text},")
        | Q(season_months__endswith=f",{text}")
        | Q(season_months__contains=f",{text},")
    )


def valid_certification_q(today) -> Q:
    return Q(expires_on__isnull=True) | Q(expires_on__gte=today)


def ocop_q(stars, today) -> Q:
    return Q(ocop_stars=stars) & (Q(ocop_expires_on__isnull=True) | Q(ocop_expires_on__gte=today))


def price_q(low, high) -> Q:
    q = Q(price_vnd__isnull=False)
    if low is not None:
        q &= Q(price_vnd__gte=low)
    if high is not None:
        q &= Q(price_vnd__lte=high)
    return q


@dataclass
class Choice:
    """One choice of a filter: its label, its count, the link that applies it."""

    value: str
    label: str
    count: int
    active: bool = False
    query: dict = field(default_factory=dict)

    @property
    def href(self):
        return "?" + urlencode(self.query)


@dataclass
class ProductFilters:
    """A product list with its filters applied and the counts of every choice."""

    form: ProductFilterForm
    values: dict
    products: object  # the filtered queryset
    facets: dict  # key → list[Choice]
    data: dict = field(default_factory=dict)  # the GET parameters, one value each
    count: int = 0  # products after the filters, counted with the choices

    @property
    def active(self):
        return bool(self.values)

    @property
    def category_active(self):
        return "danh-muc" in self.values

    @property
    def category_choices(self):
        return self.facets["danh-muc"]

    @property
    def ocop_active(self):
        return "ocop" in self.values

    @property
    def ocop_choices(self):
        return self.facets["ocop"]

    @property
    def flag_choices(self):
        return self.facets["mua-vu"] + self.facets["con-hang"]

    @property
    def price_choices(self):
        return self.facets["gia"]

    @property
    def select_groups(self):
        """The filters shown as drop-down lists: commune (showcase), category, certification."""
        groups = []
        for key, label in (("xa", _("Phường/xã")), ("danh-muc", _("Danh mục")),
                           ("chung-nhan", _("Chứng nhận"))):
            if key in self.facets:
                groups.append({"key": key, "label": label, "choices": self.facets[key]})
        return groups

    @property
    def price_from(self):
        return self.data.get("gia-tu", "")[:20]

    @property
    def price_to(self):
        return self.data.get("gia-den", "")[:20]

    def _href(self, drop):
        query = {k: v for k, v in self.data.items() if k not in drop}
        return "?" + urlencode(query) if query else "?"

    @property
    def clear_href(self):
        return self._href({"trang", *FILTER_KEYS})

    @property
    def clear_category_href(self):
        return self._href({"trang", "danh-muc"})


class _Conditions:
    """The Q of each active filter, and of all of them but one."""

    def __init__(self, values, communes, today):
        self.by_key = {}
        if "xa" in values and communes is not None:
            commune = next(c for c in communes if c.ward_code == values["xa"])
            self.by_key["xa"] = commune_q(commune.path)
        if "danh-muc" in values:
            self.by_key["danh-muc"] = Q(category__slug=values["danh-muc"])
        if "ocop" in values:
            self.by_key["ocop"] = ocop_q(values["ocop"], today)
        if "chung-nhan" in values:
            self.by_key["chung-nhan"] = certification_q(values["chung-nhan"], today)
        if values.get("mua-vu"):
            self.by_key["mua-vu"] = in_season_q(today.month)
        if values.get("con-hang"):
            self.by_key["con-hang"] = Q(in_stock=True)
        if "gia-tu" in values or "gia-den" in values:
            self.by_key["gia"] = price_q(values.get("gia-tu"), values.get("gia-den"))

    def all(self) -> Q:
        return self.all_but(None)

    def all_but(self, key) -> Q:
        q = Q()
        for name, condition in self.by_key.items():
            if name != key:
                q &= condition
        return q


def commune_q(path) -> Q:
    from commune_site.page_tree import subtree_q

    return subtree_q(path)


def certification_q(certification_id, today) -> Q:
    holders = ProductCertification.objects.filter(
        valid_certification_q(today), certification_id=certification_id
    ).values("page_id")
    return Q(pk__in=holders)


def filter_products(products, data, *, communes=None, today=None) -> ProductFilters:
    """Apply the GET filters in ``data`` to ``products`` and count every choice.

    ``communes`` (the showcase's live commune home pages, with ``ward_code``, ``title`` and
    ``path``) adds the commune filter; a commune's own lists leave it out. Queries: categories,
    certifications, then two grouped counts, whatever the number of products or choices;
    ``count`` is the number of products the filters leave, from the same counts.
    """
    today = today or timezone.localdate()
    plain = {key: data.get(key, "") for key in data if key in ("q", *FILTER_KEYS)}
    categories = list(ProductCategory.objects.all())
    certifications = list(Certification.objects.all())
    form = ProductFilterForm(
        data, categories=categories, certifications=certifications, communes=communes
    )
    values = form.valid_values()
    conditions = _Conditions(values, communes, today)
    products = products.order_by()  # grouped counts must not group by a default ordering
    filtered = products.filter(conditions.all())

    def link(key, value):
        query = {k: v for k, v in plain.items() if k != "trang"}
        if key == "gia":
            query.pop("gia-tu", None)
            query.pop("gia-den", None)
            query.update(value)
        elif value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
        return query

    # 1. Every choice but certifications, and the total, in one grouped query: one row per
    # category (and commune, on the showcase), with a conditional count per choice. The rows
    # are bounded by the catalogue, not by the products; Python adds them up.
    def counted(condition):
        return Count("pk", filter=condition) if condition else Count("pk")

    aggregates = {
        "total": counted(conditions.all()),
        "by-category": counted(conditions.all_but("danh-muc")),
        "by-commune": counted(conditions.all_but("xa")),
        "con-hang": counted(conditions.all_but("con-hang") & Q(in_stock=True)),
        "mua-vu": counted(conditions.all_but("mua-vu") & in_season_q(today.month)),
    }
    for stars, _label in ProductPage.OcopStars.choices:
        aggregates[f"ocop-{stars}"] = counted(conditions.all_but("ocop") & ocop_q(stars, today))
    for index, (low, high) in enumerate(PRICE_BANDS):
        aggregates[f"gia-{index}"] = counted(conditions.all_but("gia") & price_q(low, high))
    groups = ["category_id"]
    grouped = products
    if communes:
        grouped = grouped.annotate(commune_path=Substr("path", 1, len(communes[0].path)))
        groups.append("commune_path")
    rows = list(grouped.values(*groups).annotate(**aggregates))
    counts = {key: sum(row[key] for row in rows) for key in aggregates}
    by_category, by_commune = {}, {}
    for row in rows:
        category = row["category_id"]
        by_category[category] = by_category.get(category, 0) + row["by-category"]
        if communes:
            path = row["commune_path"]
            by_commune[path] = by_commune.get(path, 0) + row["by-commune"]

    facets = {}
    facets["ocop"] = [
        Choice(str(stars), label, counts[f"ocop-{stars}"], values.get("ocop") == stars,
               link("ocop", str(stars)))
        for stars, label in ProductPage.OcopStars.choices
    ]
    facets["mua-vu"] = [Choice("mua-vu", _("Đang vào mùa"), counts["mua-vu"],
                               bool(values.get("mua-vu")), link("mua-vu", "1"))]
    facets["con-hang"] = [Choice("con-hang", _("Còn hàng"), counts["con-hang"],
                                 bool(values.get("con-hang")), link("con-hang", "1"))]
    facets["gia"] = []
    for index, (low, high) in enumerate(PRICE_BANDS):
        bounds = {}
        if low is not None:
            bounds["gia-tu"] = str(low)
        if high is not None:
            bounds["gia-den"] = str(high)
        active = values.get("gia-tu") == low and values.get("gia-den") == high
        facets["gia"].append(
            Choice(str(index), price_band_label(low, high), counts[f"gia-{index}"], active,
                   link("gia", bounds))
        )

    # 2. Categories, from the grouped rows.
    facets["danh-muc"] = [
        Choice(c.slug, c.name, by_category.get(c.pk, 0), values.get("danh-muc") == c.slug,
               link("danh-muc", c.slug))
        for c in categories
        if by_category.get(c.pk) or values.get("danh-muc") == c.slug
    ]

    # 3. Certifications: one grouped count over the certificates still valid.
    by_certification = dict(
        ProductCertification.objects.filter(
            valid_certification_q(today),
            page_id__in=products.filter(conditions.all_but("chung-nhan")).values("pk"),
        )
        .values_list("certification_id")
        .annotate(n=Count("page_id", distinct=True))
        .values_list("certification_id", "n")
    )
    facets["chung-nhan"] = [
        Choice(str(c.pk), str(c), by_certification.get(c.pk, 0),
               values.get("chung-nhan") == c.pk, link("chung-nhan", str(c.pk)))
        for c in certifications
        if by_certification.get(c.pk) or values.get("chung-nhan") == c.pk
    ]

    # 4. Communes (showcase only), from the grouped rows.
    if communes is not None:
        facets["xa"] = [
            Choice(str(c.ward_code), c.title, by_commune.get(c.path, 0),
                   values.get("xa") == c.ward_code, link("xa", str(c.ward_code)))
            for c in communes
            if by_commune.get(c.path) or values.get("xa") == c.ward_code
        ]
    return ProductFilters(
        form=form, values=values, products=filtered, facets=facets, data=plain,
        count=counts["total"],
    )


def price_band_label(low, high) -> str:
    from .templatetags.products_tags import vnd

    if low is None:
        return _("Đến %(high)s") % {"high": vnd(high)}
    if high is None:
        return _("Từ %(low)s") % {"low": vnd(low)}
    return pgettext_lazy("price band", "%(low)s – %(high)s") % {
        "low": vnd(low), "high": vnd(high)}


class CountedPaginator(Paginator):
    """A paginator given its count (``ProductFilters.count``, counted with the choices), so
    that the list is not counted a second time."""

    def __init__(self, object_list, per_page, *, count):
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count
