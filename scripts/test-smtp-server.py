#!/usr/bin/python3
"""A real SMTP server for Plumbline's e-mail tests (Debian's python3-aiosmtpd).

Writes each message it accepts to OUT/<n>.json: the envelope's sender and recipients,
the decoded subject and plain-text body, and the user it signed in as (if any). With
--user and --password every message needs AUTH with exactly those (PLAIN or LOGIN,
allowed without TLS: the tests talk to it over loopback only). With --tls-cert and
--tls-key it offers STARTTLS with that certificate and takes no mail without it. Stops on
SIGTERM.

  scripts/test-smtp-server.py --port 2525 --out /tmp/mail [--user U --password P]
                              [--tls-cert CERT.pem --tls-key KEY.pem]
"""
import argparse
import asyncio
import email
import email.policy
import json
import os
import signal
import ssl

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Recorder:
    def __init__(self, out):
        self.out = out
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        body = message.get_body(preferencelist=("plain",))
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "to": str(message["to"] or ""),
            "subject": str(message["subject"] or ""),
            "body": body.get_content() if body is not None else "",
            "login": session.auth_data.decode() if isinstance(session.auth_data, bytes) else session.auth_data,
        }
        self.count += 1
        path = os.path.join(self.out, f"{self.count:04}.json")
        with open(path + ".tmp", "w", encoding="utf-8") as file:
            json.dump(record, file)
        os.rename(path + ".tmp", path)
        return "250 Message accepted for delivery"


def authenticator(user, password):
    def check(server, session, envelope, mechanism, auth_data):
        if isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user \
                and auth_data.password.decode() == password:
            return AuthResult(success=True, auth_data=user)
        return AuthResult(success=False, handled=False)
    return check


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    args = parser.parse_args()
    options = {}
    if args.user is not None:
        options = dict(authenticator=authenticator(args.user, args.password or ""), auth_required=True,
                       auth_require_tls=False)
    if args.tls_cert is not None:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        options.update(tls_context=context, require_starttls=True)
    controller = Controller(Recorder(args.out), hostname="127.0.0.1", port=args.port, **options)
    controller.start()
    print("listening", flush=True)
    stop = asyncio.Event()
    loop = asyncio.new_event_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    loop.run_until_complete(stop.wait())
    controller.stop()


if __name__ == "__main__":
    main()
