"""Make the province showcase the default site's root, replacing Wagtail's welcome page."""

from django.db import migrations


def create_showcase(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    Locale = apps.get_model("wagtailcore.Locale")
    ShowcaseHomePage = apps.get_model("showcase.ShowcaseHomePage")

    if ShowcaseHomePage.objects.exists():
        return
    Page.objects.filter(depth=2, slug="home", content_type__model="page").delete()
    content_type, _ = ContentType.objects.get_or_create(model="showcasehomepage", app_label="showcase")
    root = Page.objects.get(depth=1)
    siblings = Page.objects.filter(depth=2).count()
    # Treebeard's path: the root's path plus a four-character step.
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    n, step = siblings + 1, ""
    while n:
        n, rem = divmod(n, 36)
        step = alphabet[rem] + step
    home = ShowcaseHomePage.objects.create(
        title="Sản phẩm chủ lực Tây Ninh",
        draft_title="Sản phẩm chủ lực Tây Ninh",
        slug="san-pham-chu-luc",
        content_type=content_type,
        path=root.path + step.rjust(4, "0"),
        depth=2,
        numchild=0,
        url_path="/san-pham-chu-luc/",
        locale=Locale.objects.get_or_create(language_code="vi")[0],
        intro="Sản phẩm OCOP và sản phẩm chủ lực của các phường, xã.",
    )
    root.numchild = siblings + 1
    root.save(update_fields=["numchild"])
    Site.objects.filter(is_default_site=True).delete()
    Site.objects.create(hostname="localhost", port=80, root_page_id=home.id, is_default_site=True, site_name=home.title)


class Migration(migrations.Migration):
    dependencies = [
        ("showcase", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_showcase, migrations.RunPython.noop)]
