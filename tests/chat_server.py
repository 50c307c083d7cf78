"""A local OpenAI-compatible chat endpoint for the tests of the optional LLM features.

``respond(request_body)`` gives each POST its (status, raw body, delay); the server
records every request. Subclasses decide what to answer.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def completion(content: str) -> str:
    """The body of a chat completion whose first choice says ``content``."""
    return json.dumps({"choices": [{"message": {"role": "assistant", "content": content}}]})


class ChatServer:
    def __init__(self):
        self.requests: list[dict] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                request = {"path": self.path, "auth": self.headers.get("Authorization"),
                           "body": json.loads(self.rfile.read(length))}
                owner.requests.append(request)
                status, body, delay = owner.respond(request["body"])
                time.sleep(delay)
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.end_headers()
                    self.wfile.write(body.encode())
                except OSError:  # the client gave up (timeout test)
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def respond(self, body: dict) -> tuple[int, str, float]:
        raise NotImplementedError

    def close(self):
        self.server.shutdown()
        self.server.server_close()
