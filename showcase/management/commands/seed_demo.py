"""Load the demo communes (Phường Tân An, Xã Cần Giuộc, Xã Tầm Vu) for local use."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from showcase.demo import seed_demo


class Command(BaseCommand):
    help = "Tạo dữ liệu mẫu: ba phường/xã thí điểm, nhà sản xuất, sản phẩm và tài khoản demo."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, **options):
        if not settings.DEBUG and not getattr(settings, "ALLOW_DEMO_DATA", False):
            raise CommandError("Dữ liệu mẫu chỉ dùng khi phát triển (DEBUG=True).")
        created = seed_demo(port=options["port"])
        self.stdout.write(
            "Đã tạo {communes} phường/xã, {producers} nhà sản xuất, {products} sản phẩm.".format(
                **created
            )
        )
