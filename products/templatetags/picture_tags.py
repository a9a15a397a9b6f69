"""``{% picture %}`` as Wagtail's, its markup kept per worker (commune_site/renditions.py).

Same syntax and the same HTML as ``wagtailimages_tags``' tag; load this library instead of
that one where a template uses ``picture``. ``{% picture … as name %}`` is Wagtail's, uncached.
"""

from django import template
from wagtail.images.models import Picture
from wagtail.images.shortcuts import get_renditions_or_not_found
from wagtail.images.templatetags import wagtailimages_tags

from commune_site.renditions import image_key, is_found, remembered

register = template.Library()


class CachedPictureNode(wagtailimages_tags.PictureNode):
    """Wagtail's PictureNode; the markup comes from the worker's memory when it has it."""

    def render(self, context):
        if self.output_var_name:
            return super().render(context)
        image = self.validate_image(context)
        if not image:
            return ""
        attrs = {key: value.resolve(context) for key, value in self.attrs.items()}
        try:
            key = ("picture", image_key(image), tuple(self.filter_specs), tuple(attrs.items()))
            hash(key)
        except TypeError:  # an attribute value that is not hashable: no key, render it
            return self._render(image, attrs)[0]
        return remembered(key, lambda: self._render(image, attrs))

    def _render(self, image, attrs):
        renditions = get_renditions_or_not_found(image, self.get_filters())
        html = Picture(renditions, attrs).__html__()
        return html, all(is_found(rendition) for rendition in renditions.values())


@register.tag
def picture(parser, token):
    node = wagtailimages_tags.image(parser, token)
    return CachedPictureNode(node.image_expr, node.filter_specs, node.output_var_name, node.attrs)
