"""Periodic work: reminders the day before, no-shows released, announcements within the daily allowance."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .announcements import announcements_send
from .bookings import bookings_release_no_shows, bookings_remind
from .visits import home_visits_remind


@db_periodic_task(crontab(minute="*/15"))
def outreach_reminders_task() -> None:
    """Every quarter hour: reminders for tomorrow's bookings and home visits, each sent once."""
    bookings_remind()
    home_visits_remind()


@db_periodic_task(crontab(minute="*/5"))
def outreach_no_shows_task() -> None:
    bookings_release_no_shows()


@db_periodic_task(crontab(minute="0", hour="*"))
def outreach_announcements_task() -> None:
    """Hourly: recipients who waited for the next day's allowance."""
    announcements_send()
