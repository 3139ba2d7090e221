from django.urls import path

from . import simulator

app_name = "simulator"
urlpatterns = [
    path("", simulator.simulator_page, name="page"),
    path("identity/", simulator.simulator_identity, name="identity"),
    path("send/", simulator.simulator_send, name="send"),
    path("messages/", simulator.simulator_messages, name="messages"),
    path("reset/", simulator.simulator_reset, name="reset"),
    path("media/<str:media_id>/", simulator.simulator_media, name="media"),
    path("graph/", simulator.graph_api, {"rest": ""}, name="graph_root"),
    path("graph/<path:rest>", simulator.graph_api, name="graph"),
]
