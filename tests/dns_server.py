"""A tiny authoritative DNS server on loopback (UDP and TCP on one port), serving test records.

The DNS checks are tested against real DNS traffic: dnspython's resolver sends real queries
to this server, which parses them with dnspython's message classes and answers from a dict::

    records = {"example.com": {"TXT": ['"v=spf1 -all"'], "MX": ["10 mx.example.com."]}}
    with DnsServer(records) as server:
        answer = server.resolver().resolve("example.com", "MX")

Names not in the dict (nor above a name in it) get NXDOMAIN; a name without the asked type gets
an empty answer; CNAMEs are followed inside the dict; names in ``silent`` get no answer at
all (a server that drops queries). Answers too big for UDP (512 bytes, or
the query's EDNS size) come back truncated, and the resolver retries over TCP as it would
against a real server.
"""

from __future__ import annotations

import socket
import socketserver
import struct
import threading
from collections.abc import Collection, Mapping, Sequence
from types import TracebackType

import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.resolver
import dns.rrset

Records = Mapping[str, Mapping[str, Sequence[str]]]
TTL = 300


def txt(value: str) -> str:
    """A TXT record's text for ``value``, cut into quoted strings of at most 255 bytes (as
    zone files and DNS providers do for long SPF and DKIM records)."""
    data = value.encode("utf-8")
    chunks = [data[i : i + 255] for i in range(0, len(data), 255)] or [b""]
    return " ".join('"' + c.decode("utf-8").replace('"', '\\"') + '"' for c in chunks)


def _key(name: str) -> str:
    return name.lower().rstrip(".") + "."


class Zone:
    """The records, by lower-case absolute name and type."""

    def __init__(self, records: Records, silent: Collection[str] = ()) -> None:
        self.silent = {_key(name) for name in silent}
        self.records = {
            _key(name): {rdtype.upper(): list(values) for rdtype, values in types.items()}
            for name, types in records.items()
        }

    def exists(self, name: str) -> bool:
        """Whether ``name`` has records or is above a name that has (an empty non-terminal)."""
        return name in self.records or any(key.endswith("." + name) for key in self.records)

    def answer(self, query: dns.message.Message) -> dns.message.Message:
        response = dns.message.make_response(query)
        response.flags |= dns.flags.AA
        if len(query.question) != 1:
            response.set_rcode(dns.rcode.FORMERR)
            return response
        question = query.question[0]
        name, rdtype = _key(question.name.to_text()), question.rdtype
        for _hop in range(8):  # follow CNAMEs inside the zone, as a real server does
            types = self.records.get(name, {})
            cname = types.get("CNAME")
            if cname and rdtype != dns.rdatatype.CNAME:
                response.answer.append(self._rrset(name, "CNAME", cname))
                name = _key(cname[0])
                continue
            values = types.get(dns.rdatatype.to_text(rdtype))
            if values:
                response.answer.append(self._rrset(name, dns.rdatatype.to_text(rdtype), values))
            elif not self.exists(name):
                response.set_rcode(dns.rcode.NXDOMAIN)
            break
        return response

    @staticmethod
    def _rrset(name: str, rdtype: str, values: Sequence[str]) -> dns.rrset.RRset:
        return dns.rrset.from_text_list(name, TTL, dns.rdataclass.IN, rdtype, list(values))


def _wire(zone: Zone, data: bytes, max_size: int | None) -> bytes | None:
    """The answer to one query in wire format (truncated to ``max_size``), None if unreadable."""
    try:
        query = dns.message.from_wire(data)
    except dns.exception.DNSException:
        return None
    if query.question and _key(query.question[0].name.to_text()) in zone.silent:
        return None  # as a server that drops the query: the resolver times out
    response = zone.answer(query)
    if max_size is None:
        return response.to_wire()
    limit = max(512, query.payload) if query.edns >= 0 else 512
    try:
        return response.to_wire(max_size=limit)
    except dns.exception.TooBig:
        truncated = dns.message.make_response(query)
        truncated.flags |= dns.flags.AA | dns.flags.TC
        return truncated.to_wire()


class _Udp(socketserver.BaseRequestHandler):
    server: _UdpServer

    def handle(self) -> None:
        data, sock = self.request
        reply = _wire(self.server.zone, data, max_size=512)
        if reply is not None:
            sock.sendto(reply, self.client_address)


class _Tcp(socketserver.BaseRequestHandler):
    server: _TcpServer

    def handle(self) -> None:
        sock: socket.socket = self.request
        sock.settimeout(5)
        try:
            while True:  # length-prefixed messages until the client closes (RFC 7766)
                head = _read(sock, 2)
                if head is None:
                    return
                data = _read(sock, struct.unpack("!H", head)[0])
                if data is None:
                    return
                reply = _wire(self.server.zone, data, max_size=None)
                if reply is None:
                    continue
                sock.sendall(struct.pack("!H", len(reply)) + reply)
        except OSError:
            return


def _read(sock: socket.socket, size: int) -> bytes | None:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            return None
        data += chunk
    return data


class _UdpServer(socketserver.ThreadingUDPServer):
    daemon_threads = True

    def __init__(self, port: int, zone: Zone) -> None:
        self.zone = zone
        super().__init__(("127.0.0.1", port), _Udp)


class _TcpServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, port: int, zone: Zone) -> None:
        self.zone = zone
        super().__init__(("127.0.0.1", port), _Tcp)


class DnsServer:
    """The server, started on entering the ``with`` block and stopped on leaving it."""

    def __init__(self, records: Records, *, silent: Collection[str] = ()) -> None:
        self.zone = Zone(records, silent)
        self.port = 0
        self._servers: list[socketserver.BaseServer] = []
        self._threads: list[threading.Thread] = []

    def __enter__(self) -> DnsServer:
        for _attempt in range(20):  # a free UDP port whose TCP twin is free too
            udp = _UdpServer(0, self.zone)
            port = udp.server_address[1]
            try:
                tcp = _TcpServer(port, self.zone)
            except OSError:
                udp.server_close()
                continue
            self.port, self._servers = port, [udp, tcp]
            break
        else:
            raise OSError("no free port for the test DNS server")
        for server in self._servers:
            thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        for server in self._servers:
            server.shutdown()
            server.server_close()
        for thread in self._threads:
            thread.join(timeout=10)

    def resolver(self, timeout: float = 2.0) -> dns.resolver.Resolver:
        """A resolver that asks this server only."""
        return resolver_for(self.port, timeout)


def resolver_for(port: int, timeout: float = 2.0) -> dns.resolver.Resolver:
    """A resolver asking only 127.0.0.1:``port``, giving up after ``timeout`` seconds."""
    resolver = dns.resolver.Resolver(configure=False)
    resolver.nameservers = ["127.0.0.1"]
    resolver.port = port
    resolver.timeout = timeout
    resolver.lifetime = timeout
    return resolver
