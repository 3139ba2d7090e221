import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

from pencet.lib.heap import heap_settle

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pencet.settings")
application = get_wsgi_application()
# Import every view (the console, the API's schemas) when the process starts rather than on the first request:
# after a restart the first citizen's webhook would otherwise wait for them.
get_resolver().url_patterns  # noqa: B018 - evaluated for its imports
heap_settle()
