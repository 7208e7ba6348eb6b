from django import template

from portal.formatting import format_nok, user_display_name

register = template.Library()


@register.filter
def display_name(user) -> str:
    return user_display_name(user)


@register.filter
def nok(amount) -> str:
    return format_nok(amount)
