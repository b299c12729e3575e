# A real SMTP server for the email tests: Debian's aiosmtpd (python3-aiosmtpd) on 127.0.0.1, plain,
# with STARTTLS required, or with implicit TLS, optionally requiring AUTH (LOGIN and PLAIN, or
# only one of them) against one user and password. Each message it accepts is printed on stdout
# as one line, "MESSAGE {json}", parsed with Python's email package; "READY" once it listens.
# Recipients "nobody@…" are refused with 550, as for a mailbox that does not exist.
# It stops on SIGTERM or when its stdin closes (the test process went away).
import argparse
import email
import json
import signal
import ssl
import sys
import threading
from email import policy

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, required=True)
parser.add_argument("--security", choices=["none", "starttls", "tls"], default="none")
parser.add_argument("--cert")
parser.add_argument("--key")
parser.add_argument("--user")
parser.add_argument("--password")
parser.add_argument("--only-mechanism", choices=["LOGIN", "PLAIN"])
args = parser.parse_args()


class Recorder:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        # A mailbox that does not exist, for tests of a partly refused delivery.
        if address.startswith("nobody@"):
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content, policy=policy.default)
        body = message.get_body(preferencelist=("plain",))
        login = session.auth_data.login.decode() if session.authenticated and isinstance(session.auth_data, LoginPassword) else None
        record = {
            "mailFrom": envelope.mail_from,
            "rcptTos": envelope.rcpt_tos,
            "subject": str(message["subject"]),
            "headers": {name.lower(): str(value) for name, value in message.items()},
            "text": body.get_content().replace("\r\n", "\n") if body is not None else "",
            "tls": server.transport.get_extra_info("ssl_object") is not None,
            "login": login,
            "mechanism": getattr(session, "mechanism", None),
        }
        print("MESSAGE " + json.dumps(record), flush=True)
        return "250 2.0.0 Ok: queued as test"


def authenticator(server, session, envelope, mechanism, auth_data):
    session.mechanism = mechanism
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == args.user.encode() and auth_data.password == args.password.encode()
    # Not handled: aiosmtpd answers a failure with its standard "535 5.7.8 Authentication credentials invalid".
    return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)


def server_context():
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(args.cert, args.key)
    return context


smtp = {"server_hostname": "smtp.switchyard.test", "auth_require_tls": args.security == "starttls"}
if args.user:
    smtp.update(authenticator=authenticator, auth_required=True)
    if args.only_mechanism:
        smtp["auth_exclude_mechanism"] = ["PLAIN" if args.only_mechanism == "LOGIN" else "LOGIN"]
if args.security == "starttls":
    smtp.update(tls_context=server_context(), require_starttls=True)

controller = Controller(Recorder(), hostname="127.0.0.1", port=args.port, ssl_context=server_context() if args.security == "tls" else None, **smtp)
stop = threading.Event()
signal.signal(signal.SIGTERM, lambda *_: stop.set())


def watch_stdin():
    sys.stdin.read()
    stop.set()


threading.Thread(target=watch_stdin, daemon=True).start()
controller.start()
print("READY", flush=True)
stop.wait()
controller.stop()
