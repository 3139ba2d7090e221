from django import template

from pencet.cases.clocks import application_stage_clocks
from pencet.cases.deadlines import application_legal_deadline
from pencet.cases.models import Application

register = template.Library()


@register.inclusion_tag("console/clocks/_application_clock.html")
def application_clock(application: Application) -> dict:
    """The legal deadline and every stage's times, for the application page."""
    return {
        "application": application,
        "legal": application_legal_deadline(application=application),
        "stages": application_stage_clocks(application=application),
    }
