"""Add a commune: its Wagtail site, home page, producer and product indexes."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from showcase.services import commune_create


class Command(BaseCommand):
    help = "Tạo trang web cho một phường/xã theo mã đơn vị hành chính chính thức."

    def add_arguments(self, parser):
        parser.add_argument("--ward-code", type=int, required=True, help="Mã phường/xã (sau 2025)")
        parser.add_argument("--hostname", required=True, help="Tên miền, ví dụ tanan.localhost")
        parser.add_argument("--port", type=int, default=80)
        parser.add_argument("--name", default="", help="Tên hiển thị; mặc định là tên chính thức")
        parser.add_argument("--former-units", default="", help="Các phường/xã cũ trước sáp nhập")
        parser.add_argument("--former-district", default="", help="Huyện/thành phố cũ")
        parser.add_argument("--former-province", default="", help="Tỉnh cũ")

    def handle(self, *args, **options):
        try:
            commune = commune_create(
                ward_code=options["ward_code"],
                hostname=options["hostname"],
                port=options["port"],
                name=options["name"],
                former_units=options["former_units"],
                former_district=options["former_district"],
                former_province=options["former_province"],
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        site = commune.get_site()
        self.stdout.write(f"{commune.title}: {site.root_url}/")
