"""The FakeGraph on a loopback port: an HTTP/1.1 server with keep-alive in a daemon thread, as the Graph API
answers (tests, `pencet fake-graph`, bench/)."""

from __future__ import annotations

import io
import threading

from .fakegraph import FakeGraph


class GraphServer:
    """Runs a FakeGraph on a loopback port in a daemon thread (tests, `pencet fake-graph`)."""

    def __init__(self, graph: FakeGraph, port: int = 0, host: str = "127.0.0.1") -> None:
        from socketserver import ThreadingMixIn
        from wsgiref.simple_server import ServerHandler, WSGIRequestHandler, WSGIServer, make_server

        class Http11Handler(ServerHandler):
            http_version = "1.1"

        class QuietHandler(WSGIRequestHandler):
            """HTTP/1.1 with keep-alive, as the Graph API answers: a client sends on the connection it has instead
            of opening one per message (wsgiref alone answers HTTP/1.0 and closes)."""

            protocol_version = "HTTP/1.1"
            # The status line, headers and body leave in separate writes: without this, the body of each answer
            # waits for the client's delayed acknowledgement (40 ms on Linux) once the connection is kept.
            disable_nagle_algorithm = True

            def handle(self) -> None:
                self.close_connection = True
                self._handle_one()
                while not self.close_connection:
                    self._handle_one()

            def _handle_one(self) -> None:
                self.raw_requestline = self.rfile.readline(65537)
                if not self.raw_requestline or len(self.raw_requestline) > 65536:
                    self.close_connection = True
                    return
                if not self.parse_request():
                    return
                if self.headers.get("Transfer-Encoding"):
                    self.close_connection = True  # a chunked body is not read ahead; this connection ends with it
                    body = self.rfile
                else:
                    # Read whole, so that a route that never reads it leaves the next request where it starts.
                    body = io.BytesIO(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
                handler = Http11Handler(body, self.wfile, self.get_stderr(), self.get_environ(), multithread=False)
                handler.request_handler = self
                handler.run(self.server.get_app())

            def log_message(self, *args: object) -> None:
                pass

        class ThreadingServer(ThreadingMixIn, WSGIServer):
            daemon_threads = True

        self.graph = graph
        self.httpd = make_server(host, port, graph, server_class=ThreadingServer, handler_class=QuietHandler)
        self.port = self.httpd.server_port
        self.url = f"http://{host}:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    def start(self) -> GraphServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def serve_in_thread(graph: FakeGraph, port: int = 0) -> GraphServer:
    return GraphServer(graph, port).start()
