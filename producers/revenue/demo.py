"""A year of plausible demo sales and a pre-pilot baseline for every producer without sales.

Seasonal by product (a product sells mostly in its ``season_months``; processed food, drinks
and flowers sell more before Tết), spread over several channels with a digital share that
grows through the year, at prices near each product's ``price_vnd``. The generator is seeded,
so the same day gives the same sales; every date lies in the last 12 months up to today.
"""

import datetime
import random
from collections import defaultdict
from decimal import Decimal

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from products.models import ProductPage

from ..demo_accounts import demo_allowed
from ..models import ProducerAccount, ProducerPage
from ..roles import staff_group_name
from ..selectors import commune_of_page
from .models import Channel, Sale, local_today, month_start, sale_amount
from .selectors import Period
from .services import baseline_set, revenue_rollup_refresh

SEED = 20210101
# Marks the generated sales; an import's keys are hex digests, so they never collide.
IMPORT_KEY_PREFIX = "demo:"
# Sales a producer makes in a month where all its products are in season.
SALES_PER_MONTH = {"household": 10, "cooperative_group": 14, "cooperative": 20, "enterprise": 18}
# A product out of its season still sells a little: stock, dried or off-season fruit.
OFF_SEASON = 0.1
# Categories that sell more in the two months before and around Tết.
TET_CATEGORIES = {"thuc-pham-che-bien", "hoa-kieng", "do-uong"}
TET_MONTHS = {12: 1.8, 1: 2.2}
# Price of a product listed without one ("Giá theo đơn hàng"), by unit.
PRICE_BY_UNIT = {"cai": 2_500_000, "kg": 30_000}
DEFAULT_PRICE = 50_000
# (least, most) of one sale, by unit; a trader buys five times as much at a lower price.
QUANTITY_BY_UNIT = {"kg": (2, 40), "cai": (1, 4)}
DEFAULT_QUANTITY = (2, 20)
TRADITIONAL = [
    (Channel.FARM, 30), (Channel.MARKET, 35), (Channel.TRADER, 25), (Channel.FAIR, 5),
    (Channel.OTHER, 5),
]
DIGITAL = [
    (Channel.SOCIAL, 40), (Channel.PRODUCT_PAGE, 20), (Channel.POSTMART, 12),
    (Channel.VOSO, 8), (Channel.SHOPEE, 12), (Channel.TIKTOK, 8),
]
# The digital share of sales in the first and in the last of the twelve months.
DIGITAL_SHARE = (0.12, 0.45)
STAFF_ENTERED = 0.15
# A demo sale reads as entered on the evening of its day, at the latest an hour ago: never
# "just now", which would make the portal ask whether a real sale today repeats it.
ENTERED_AT = datetime.time(19)
ENTERED_AT_LATEST = datetime.timedelta(hours=1)
# Each month's baseline is a percentage in this range of that month's revenue, so growth shows.
BASELINE_PERCENT = (70, 85)


def _weight(product, month: int) -> float:
    weight = 1.0 if not product.season_months or month in product.season_months else OFF_SEASON
    if product.category is not None and product.category.slug in TET_CATEGORIES:
        weight *= TET_MONTHS.get(month, 1.0)
    return weight


def _pick(rng: random.Random, weighted):
    return rng.choices([item for item, _ in weighted], [w for _, w in weighted])[0]


def _sales_of(producer, commune, products, months, today, rng, staff, account_user):
    per_month = SALES_PER_MONTH.get(producer.kind, 12)
    sales = []
    # The display goes through gettext; once per product, not per sale.
    units = {product.pk: str(product.get_price_unit_display()) for product in products}
    for index, month in enumerate(months):
        weights = [_weight(p, month.month) for p in products]
        # Sales follow the season of the producer's whole range, at least three a month.
        count = max(3, round(per_month * sum(weights) / len(products) * rng.uniform(0.8, 1.2)))
        last_day = today.day if month == month_start(today) else (
            (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
            - datetime.timedelta(days=1)
        ).day
        digital = DIGITAL_SHARE[0] + (DIGITAL_SHARE[1] - DIGITAL_SHARE[0]) * index / 11
        for number in range(count):
            product = rng.choices(products, weights)[0]
            channel = _pick(rng, DIGITAL if rng.random() < digital else TRADITIONAL)
            price = product.price_vnd or PRICE_BY_UNIT.get(product.price_unit, DEFAULT_PRICE)
            least, most = QUANTITY_BY_UNIT.get(product.price_unit, DEFAULT_QUANTITY)
            quantity = rng.randint(least, most)
            if channel == Channel.TRADER:
                quantity, price = quantity * 5, price * 85 // 100
            # Prices move a little around the listed one, to the nearest 500 đ (whole đồng).
            unit_price = max(500, price * rng.randint(90, 110) // 100 // 500 * 500)
            by_staff = staff is not None and rng.random() < STAFF_ENTERED
            sales.append(Sale(
                producer=producer,
                commune=commune,
                product=product,
                product_name=product.title,
                category_id=product.category_id,
                # Day 1 first, so even a month only a day old has a sale.
                sold_on=month.replace(day=1 if number == 0 else rng.randint(1, last_day)),
                quantity=Decimal(quantity),
                unit=units[product.pk],
                unit_price_vnd=unit_price,
                amount_vnd=sale_amount(Decimal(quantity), unit_price),
                channel=channel,
                entered_by=staff if by_staff else account_user,
                entered_by_staff=by_staff,
                import_key=f"{IMPORT_KEY_PREFIX}{month:%Y%m}-{number}",
            ))
    return sales


def _entered_on_their_day(seeded) -> None:
    """``entered_at`` is set on insert; move it to the evening of each sale's own day."""
    latest = timezone.now() - ENTERED_AT_LATEST
    days = {sale.sold_on for _, sales, _ in seeded for sale in sales}
    ours = Sale.objects.filter(
        producer__in=[producer for producer, _, _ in seeded],
        import_key__startswith=IMPORT_KEY_PREFIX,
    )
    for day in sorted(days):
        evening = timezone.make_aware(datetime.datetime.combine(day, ENTERED_AT))
        ours.filter(sold_on=day).update(entered_at=min(evening, latest))


def _baseline(producer, sales, rng, today) -> None:
    by_calendar_month = defaultdict(int)
    for sale in sales:
        by_calendar_month[sale.sold_on.month] += sale.amount_vnd
    # A percentage of its own for each month, so growth differs from month to month.
    percents = {m: rng.randint(*BASELINE_PERCENT) for m in range(1, 13)}
    baseline_set(
        producer=producer,
        reference_year=today.year - 2,
        # Whole thousands of đồng, as a household would remember them.
        monthly_vnd={
            m: by_calendar_month[m] * percents[m] // 100 // 1000 * 1000 for m in range(1, 13)
        },
        joined_on=Period.last_12_months(today).first,
        user=None,
    )


@transaction.atomic
def demo_sales_seed(*, today: datetime.date | None = None) -> dict:
    """Sales for the last 12 months and a baseline for every producer that has no sale yet.

    Inserted in bulk, then one roll-up rebuild per producer. A producer with any sale, real
    or from an earlier run, is left alone, so seeding twice adds nothing. Does nothing unless
    demo data is allowed.
    """
    if not demo_allowed():
        return {}
    today = today or local_today()
    months = Period.last_12_months(today).months()
    with_sales = set(Sale.objects.values_list("producer_id", flat=True).distinct())
    accounts = {
        a.producer_id: a.user
        for a in ProducerAccount.objects.select_related("user").order_by("pk")
    }
    staff_by_commune = {}
    made = {"producers": 0, "sales": 0}
    seeded = []
    for producer in ProducerPage.objects.order_by("path"):
        if producer.pk in with_sales:
            continue
        products = list(
            ProductPage.objects.child_of(producer).live().select_related("category")
            .order_by("path")
        )
        if not products:
            continue
        commune = commune_of_page(producer)
        if commune is None:
            continue
        if commune.pk not in staff_by_commune:
            group = Group.objects.filter(name=staff_group_name(commune)).first()
            staff_by_commune[commune.pk] = (
                group.user_set.order_by("pk").first() if group is not None else None
            )
        rng = random.Random(f"{SEED}-{producer.path}-{today:%Y%m}")
        sales = _sales_of(
            producer, commune, products, months, today, rng, staff_by_commune[commune.pk],
            accounts.get(producer.pk),
        )
        seeded.append((producer, sales, rng))
    Sale.objects.bulk_create([sale for _, sales, _ in seeded for sale in sales])
    _entered_on_their_day(seeded)
    for producer, sales, rng in seeded:
        revenue_rollup_refresh(producer_id=producer.pk, months=months)
        if not hasattr(producer, "revenue_baseline"):
            _baseline(producer, sales, rng, today)
        made["producers"] += 1
        made["sales"] += len(sales)
    return made
