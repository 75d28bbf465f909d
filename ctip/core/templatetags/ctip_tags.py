from django import template

from ctip.core.models import Country, Region
from ctip.core.reference import country_name, region_name

register = template.Library()


@register.filter(name="country_name")
def country_name_filter(country: Country | None) -> str:
    return country_name(country) if country is not None else ""


@register.filter(name="region_name")
def region_name_filter(region: Region | None) -> str:
    return region_name(region)
