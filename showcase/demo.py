"""Loads the demo communes, producers and products, with generated photos. Idempotent."""

import datetime
import hashlib
import io
from pathlib import Path

from django.conf import settings
from django.core.files.images import ImageFile
from django.db import transaction
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont
from wagtail import hooks
from wagtail.images.models import Image
from wagtail.models import Site

from commune_site.slugs import ascii_slug
from producers.models import ProducerIndexPage, ProducerPage
from products.models import Certification, ProductCategory, ProductCertification, ProductPage

from .demo_data import CATEGORIES, CERTIFICATIONS, COMMUNES
from .models import ShowcaseHomePage
from .services import commune_create

FONT_PATHS = [
    Path(settings.PROJECT_DIR) / "static" / "fonts" / "DejaVuSans-Bold.ttf",
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
]
PALETTE = {
    "trai-cay": ((196, 30, 90), (255, 190, 60)),
    "rau-cu": ((34, 120, 50), (170, 220, 90)),
    "thuc-pham-che-bien": ((150, 40, 30), (240, 140, 80)),
    "thuy-san": ((20, 80, 140), (110, 190, 230)),
    "do-uong": ((120, 60, 20), (250, 200, 90)),
    "hoa-kieng": ((200, 140, 0), (255, 230, 120)),
}


def _font(size):
    for path in FONT_PATHS:
        if path.exists():
            return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size=size)


def demo_photo(title: str, palette_key: str) -> Image:
    """A generated stand-in photo with the product's name, stored once by title.

    The name sits on a dark label in the middle, no wider than 60 % of the picture, and the
    label is the image's focal point: every crop the templates ask for (16:10, 2:1, 16:9, 4:3,
    and even a square) keeps the whole name, where a full-width caption lost its ends
    ("ường Tân An"). 1200×900 unless the DEMO_PHOTO_SIZE setting says otherwise (tests use
    small ones).
    """
    existing = Image.objects.filter(title=title).first()
    if existing:
        return existing
    dark, light = PALETTE.get(palette_key, ((60, 60, 60), (200, 200, 200)))
    width, height = getattr(settings, "DEMO_PHOTO_SIZE", (1200, 900))
    scale = width / 1200
    picture = PILImage.new("RGB", (width, height), light)
    draw = ImageDraw.Draw(picture)
    for y in range(height):
        t = y / height
        colour = tuple(int(light[i] * (1 - t) + dark[i] * t) for i in range(3))
        draw.line([(0, y), (width, y)], fill=colour)
    seed = int(hashlib.sha256(title.encode()).hexdigest(), 16)
    for i in range(6):
        r = int((80 + (seed >> (i * 8)) % 120) * scale)
        cx = (seed >> (i * 5)) % width
        cy = int((200 + (seed >> (i * 7)) % 500) * scale)
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=dark, outline=light, width=6)
    font = _font(int(64 * scale))
    max_text_width = width * 0.6
    lines, line = [], ""
    for word in title.split():
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=font) > max_text_width and line:
            lines.append(line)
            line = word
        else:
            line = candidate
    lines.append(line)
    line_height = int(80 * scale)
    padding = int(28 * scale)
    text_width = max(draw.textlength(text, font=font) for text in lines)
    box = (
        int((width - text_width) / 2) - padding,
        (height - line_height * len(lines)) // 2 - padding,
        int((width + text_width) / 2) + padding,
        (height + line_height * len(lines)) // 2 + padding,
    )
    draw.rounded_rectangle(box, radius=int(16 * scale), fill=(0, 0, 0))
    y = box[1] + padding
    for text in lines:
        draw.text((width / 2, y), text, font=font, fill=(255, 255, 255), anchor="ma")
        y += line_height
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=82)
    filename = f"{ascii_slug(title)}.jpg"
    return Image.objects.create(
        title=title,
        file=ImageFile(buffer, name=filename),
        focal_point_x=(box[0] + box[2]) // 2,
        focal_point_y=(box[1] + box[3]) // 2,
        focal_point_width=box[2] - box[0],
        focal_point_height=box[3] - box[1],
    )


def _showcase(port: int) -> ShowcaseHomePage:
    showcase = ShowcaseHomePage.objects.first()
    site = Site.objects.get(is_default_site=True)
    if site.port != port or site.root_page_id != showcase.pk:
        site.port, site.root_page = port, showcase
        site.save()
    if not showcase.hero_image_id:
        showcase.hero_image = demo_photo("Sản phẩm chủ lực Tây Ninh", "trai-cay")
        showcase.save_revision().publish()
    return showcase


@transaction.atomic
def seed_demo(*, port: int = 8000) -> dict:
    """Create the three pilot communes with producers, products and photos; returns counts."""
    _showcase(port)
    categories = {}
    for order, (name, slug) in enumerate(CATEGORIES):
        categories[slug], _ = ProductCategory.objects.get_or_create(
            slug=slug, defaults={"name": name, "sort_order": order}
        )
    certifications = {}
    for name, short_name, kind, body in CERTIFICATIONS:
        certifications[short_name], _ = Certification.objects.get_or_create(
            name=name, defaults={"short_name": short_name, "kind": kind, "issuing_body": body}
        )

    created = {"communes": 0, "producers": 0, "products": 0}
    for data in COMMUNES:
        hostname = f"{data['host']}.localhost"
        commune = commune_create(
            ward_code=data["ward_code"],
            hostname=hostname,
            port=port,
            former_units=data["former_units"],
            former_district=data["former_district"],
            former_province=data["former_province"],
        )
        if not commune.introduction:
            commune.introduction = data["introduction"]
            commune.committee_address = data["committee_address"]
            commune.committee_phone = data["committee_phone"]
            commune.hero_image = demo_photo(commune.title, "rau-cu")
            commune.save_revision().publish()
            created["communes"] += 1
        index = ProducerIndexPage.objects.child_of(commune).get()
        for producer_data in data["producers"]:
            slug = ascii_slug(producer_data["title"])
            producer = ProducerPage.objects.child_of(index).filter(slug=slug).first()
            coordinates = producer_data.get("coordinates")
            if producer is None:
                producer = index.add_child(
                    instance=ProducerPage(
                        title=producer_data["title"],
                        slug=slug,
                        kind=producer_data["kind"],
                        representative=producer_data["representative"],
                        phone=producer_data["phone"],
                        zalo_phone=producer_data.get("zalo_phone", ""),
                        latitude=coordinates[0] if coordinates else None,
                        longitude=coordinates[1] if coordinates else None,
                        address=producer_data["address"],
                        summary=producer_data["summary"],
                        story=f"<p>{producer_data['summary']}</p>",
                        image=demo_photo(producer_data["title"], "rau-cu"),
                    )
                )
                for short_name in producer_data.get("certs", []):
                    producer.certifications.create(
                        certification=certifications[short_name],
                        certificate_number=f"{short_name}-{producer.pk:04d}",
                    )
                producer.save_revision().publish()
                created["producers"] += 1
            for product_data in producer_data["products"]:
                created["products"] += _product(
                    producer,
                    product_data,
                    categories[product_data["category"]],
                    [certifications[c] for c in producer_data.get("certs", []) if c != "ATTP"],
                )
    for hook in hooks.get_hooks("after_seed_demo"):
        hook()
    return created


def _product(producer, data, category, certifications):
    """One demo product: its own summary (cards, sharing), story and packaging (quy cách)."""
    title, ocop = data["title"], data["ocop"]
    slug = ascii_slug(title)
    if ProductPage.objects.child_of(producer).filter(slug=slug).exists():
        return 0
    product = ProductPage(
        title=title,
        slug=slug,
        category=category,
        summary=data["summary"],
        image=demo_photo(title, category.slug),
        description=[
            ("paragraph", f"<p>{data['story']}</p>"),
            ("fact", {"label": "Quy cách", "value": data["packaging"]}),
        ],
        price_vnd=data["price"],
        price_unit=data["unit"],
        season_months=data["months"],
        where_to_buy=[
            (
                "point_of_sale",
                {
                    "name": producer.title,
                    "address": producer.address,
                    "phone": producer.phone,
                    "latitude": producer.latitude,
                    "longitude": producer.longitude,
                },
            ),
        ],
    )
    if ocop:
        product.ocop_stars = ocop
        product.ocop_certificate_number = f"OCOP-LA-{2023 - ocop}-{producer.pk:03d}"
        product.ocop_issued_on = datetime.date(2024, 3, 15)
    producer.add_child(instance=product)
    for certification in certifications:
        ProductCertification.objects.create(
            page=product,
            certification=certification,
            certificate_number=f"{certification.short_name}-{product.pk:05d}",
            issued_on=datetime.date(2024, 6, 1),
            expires_on=datetime.date(2027, 6, 1),
        )
    product.save_revision().publish()
    return 1
