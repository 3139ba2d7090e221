"""A Graph API stand-in that also knows phone numbers and the template list, for `pencet doctor`."""

import json

from pencet.whatsapp.fakegraph import FakeGraph, _json


class DoctorGraph(FakeGraph):
    def __init__(self, *, token: str, numbers: dict[str, str], templates: list[dict]) -> None:
        super().__init__(token=token)
        self.numbers = numbers
        self.templates = templates

    def _route(self, environ: dict, method: str, path: str):
        parts = [p for p in path.split("/") if p]
        if method == "GET" and self._authorized(environ):
            if len(parts) == 2 and parts[1] in self.numbers:
                return _json(200, {"display_phone_number": self.numbers[parts[1]], "verified_name": "Disdukcapil"})
            if len(parts) == 3 and parts[2] == "message_templates":
                return 200, [("Content-Type", "application/json")], json.dumps({"data": self.templates}).encode()
        return super()._route(environ, method, path)
