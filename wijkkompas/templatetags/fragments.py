"""{% cachedfragment %}: Django's {% cache %} tag for parts of a page that hold a form.

    {% load fragments %}
    {% cachedfragment "site-header" LANGUAGE_CODE user.is_authenticated user.is_staff %}
      ...
    {% endcachedfragment %}

The part is kept in the fragments cache under its name and the values after it, which must
name everything the part shows. Unlike {% cache %}, a {% csrf_token %} inside it is cached as a
placeholder and filled in with each visitor's own token, so a token is never shared. A value
that is missing from the context (it would show as "") turns caching off for that render, so
a view that forgot to pass it gets a correct page, only a slower one.
"""

from __future__ import annotations

from django import template
from django.template.base import FilterExpression, NodeList
from django.template.context import Context

from wijkkompas.fragments import CSRF_PLACEHOLDER, cached_html, fingerprint, finish

register = template.Library()


class CachedFragmentNode(template.Node):
    def __init__(self, nodelist: NodeList, name: str, vary_on: list[FilterExpression]) -> None:
        self.nodelist = nodelist
        self.name = name
        self.vary_on = vary_on

    def render(self, context: Context) -> str:
        vary_on = [expression.resolve(context) for expression in self.vary_on]

        def render() -> str:
            with context.push(csrf_token=CSRF_PLACEHOLDER):
                return self.nodelist.render(context)

        if any(value == "" for value in vary_on):
            html = render()
        else:
            html = cached_html(f"cachedfragment:{self.name}:{fingerprint(*map(str, vary_on))}", render)
        return finish(getattr(context, "request", None), html)


@register.tag
def cachedfragment(parser: template.base.Parser, token: template.base.Token) -> CachedFragmentNode:
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% cachedfragment %} needs a name, then the values it varies on.")
    nodelist = parser.parse(("endcachedfragment",))
    parser.delete_first_token()
    name = bits[1].strip("\"'")
    return CachedFragmentNode(nodelist, name, [parser.compile_filter(bit) for bit in bits[2:]])
