"""The app's write entry points (console, API and tasks call these).

service_day_plan, booking_create, booking_cancel, booking_move, booking_attend, booking_register,
bookings_release_no_shows, bookings_remind                              (bookings.py)
home_visit_plan, home_visit_record, home_visits_remind                 (visits.py)
subscription_follow, announcement_create, service_day_announce, programme_announce,
    announcements_send                                                     (announcements.py)
"""

from .announcements import (
    announcement_create,
    announcements_send,
    programme_announce,
    service_day_announce,
    subscription_follow,
)
from .bookings import (
    BookingError,
    booking_attend,
    booking_cancel,
    booking_create,
    booking_move,
    booking_register,
    bookings_release_no_shows,
    bookings_remind,
    service_day_plan,
)
from .visits import home_visit_plan, home_visit_record, home_visits_remind

__all__ = [
    "BookingError",
    "announcement_create",
    "announcements_send",
    "booking_attend",
    "booking_cancel",
    "booking_create",
    "booking_move",
    "booking_register",
    "bookings_release_no_shows",
    "bookings_remind",
    "home_visit_plan",
    "home_visit_record",
    "home_visits_remind",
    "programme_announce",
    "service_day_announce",
    "service_day_plan",
    "subscription_follow",
]
