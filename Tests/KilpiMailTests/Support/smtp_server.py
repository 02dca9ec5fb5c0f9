"""A capturing SMTP server with fault injection, for Kilpi's SMTP tests (run by /usr/bin/python3: Debian's
python3-aiosmtpd).

Listens on --host (127.0.0.1) at a free port and prints one JSON line {"port": N} when ready. Every accepted
message is written to --folder as NNNNNN.json (envelope: mail_from, rcpt_tos, tls) and NNNNNN.eml (the content as
received, after dot-unstuffing), the .eml last and both renamed into place, so a reader never sees half a file.
Exits when its stdin closes (the test that started it went away) or on SIGTERM.

Faults:
  --rcpt-reply PATTERN=REPLY  reply REPLY ("451 4.7.1 try later", or just a code) to RCPT for an address
                              ("anna@x.example") or a domain ("@x.example"); a 421 also closes the connection
  --mail-reply REPLY          reply REPLY to every MAIL FROM (a relay that refuses our sender)
  --drop-after N              after N stored messages, close the connection at the end of the next message's
                              data without replying (the message is not stored)
  --delay SECONDS             wait before each reply to MAIL, RCPT and the end of data
  --no-pipelining             do not offer PIPELINING
TLS and AUTH:
  --tls-cert FILE --tls-key FILE with --starttls (offered, not required) or --implicit-tls
  --auth-user U --auth-password P   require AUTH (PLAIN and LOGIN; --auth-mechanisms to narrow)
  --auth-over-plain           offer AUTH without TLS too (a careless server, for the client's refusal test)
  --log FILE                  append one line per command verb seen (EHLO, AUTH, MAIL, RCPT, DATA, RSET, QUIT)
"""

import argparse
import asyncio
import json
import os
import signal
import ssl
import sys
import threading

from aiosmtpd.smtp import MISSING, SMTP, AuthResult, LoginPassword


class Handler:
    def __init__(self, options):
        self.options = options
        self.count = 0
        self.replies = {}
        for item in options.rcpt_reply:
            pattern, _, reply = item.partition("=")
            reply = reply.strip()
            if reply.isdigit():
                reply = f"{reply} {reply[0]}.0.0 refused by the test server"
            self.replies[pattern.lower()] = reply

    def log(self, verb):
        if self.options.log:
            with open(self.options.log, "a") as f:
                f.write(verb + "\n")

    async def delay(self, server):
        if self.options.delay:
            await asyncio.sleep(self.options.delay)
            # An event, not a verb: the reply is written to a client still waiting for it.
            if server.transport is not None and not server.transport.is_closing():
                self.log("~late-reply")

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.log("EHLO")
        session.host_name = hostname
        if not self.options.no_pipelining:
            responses.insert(1, "250-PIPELINING")
        return responses

    async def handle_AUTH(self, server, session, envelope, args):
        self.log("AUTH")
        return MISSING

    async def handle_MAIL(self, server, session, envelope, address, options):
        self.log("MAIL")
        await self.delay(server)
        if self.options.mail_reply:
            return self.options.mail_reply
        return MISSING

    async def handle_RCPT(self, server, session, envelope, address, options):
        self.log("RCPT")
        await self.delay(server)
        lowered = address.lower()
        domain = "@" + lowered.rpartition("@")[2]
        reply = self.replies.get(lowered) or self.replies.get(domain)
        if reply:
            if reply.startswith("421"):
                asyncio.get_running_loop().call_later(0.05, server.transport.close)
            return reply
        return MISSING

    async def handle_RSET(self, server, session, envelope):
        self.log("RSET")
        return MISSING

    async def handle_QUIT(self, server, session, envelope):
        self.log("QUIT")
        return MISSING

    async def handle_DATA(self, server, session, envelope):
        self.log("DATA")
        await self.delay(server)
        if self.options.drop_after is not None and self.count >= self.options.drop_after:
            server.transport.close()
            return "451 4.3.0 (never sent: the connection is closed)"
        self.count += 1
        name = os.path.join(self.options.folder, f"{self.count:06d}")
        meta = {"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos,
                "tls": session.ssl is not None or self.options.implicit_tls}
        with open(name + ".json.tmp", "w") as f:
            json.dump(meta, f)
        os.replace(name + ".json.tmp", name + ".json")
        with open(name + ".eml.tmp", "wb") as f:
            f.write(envelope.original_content)
        os.replace(name + ".eml.tmp", name + ".eml")
        return "250 2.0.0 Ok: queued as " + f"{self.count:06d}"


def authenticator(options):
    def check(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword)
              and auth_data.login == options.auth_user.encode()
              and auth_data.password == options.auth_password.encode())
        return AuthResult(success=ok, handled=False)
    return check


async def main(options):
    context = None
    if options.tls_cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(options.tls_cert, options.tls_key)
    handler = Handler(options)
    auth = {}
    if options.auth_user is not None:
        mechanisms = {m.strip().upper() for m in options.auth_mechanisms.split(",")}
        auth = dict(
            authenticator=authenticator(options), auth_required=True,
            auth_require_tls=not (options.implicit_tls or options.auth_over_plain),
            auth_exclude_mechanism=[m for m in ("PLAIN", "LOGIN") if m not in mechanisms])

    class EventSMTP(SMTP):
        def connection_lost(self, error):
            # An event, not a verb: the client (or the network) ended the connection.
            handler.log("~lost")
            super().connection_lost(error)

    def factory():
        return EventSMTP(handler, hostname="test.kilpi.invalid", ident="kilpi-test",
                    tls_context=context if options.starttls else None,
                    enable_SMTPUTF8=False, decode_data=False, **auth)

    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        factory, host=options.host, port=0, ssl=context if options.implicit_tls else None)
    port = server.sockets[0].getsockname()[1]
    print(json.dumps({"port": port}), flush=True)
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, lambda: os._exit(0))
    async with server:
        await server.serve_forever()


def watch_stdin():
    sys.stdin.buffer.read()
    os._exit(0)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--folder", required=True)
    parser.add_argument("--rcpt-reply", action="append", default=[])
    parser.add_argument("--mail-reply")
    parser.add_argument("--drop-after", type=int)
    parser.add_argument("--delay", type=float, default=0)
    parser.add_argument("--no-pipelining", action="store_true")
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--starttls", action="store_true")
    parser.add_argument("--implicit-tls", action="store_true")
    parser.add_argument("--auth-user")
    parser.add_argument("--auth-password")
    parser.add_argument("--auth-mechanisms", default="PLAIN,LOGIN")
    parser.add_argument("--auth-over-plain", action="store_true")
    parser.add_argument("--log")
    options = parser.parse_args()
    threading.Thread(target=watch_stdin, daemon=True).start()
    asyncio.run(main(options))
