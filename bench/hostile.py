#!/usr/bin/env python3
"""Hostile clients against `gazette serve` (issue 24): the server's memory and
/v1/health's latency under each attack of the probe, for one build or two side by side.

Each attack runs against a fresh server over an index of all of Reuters-21578, on
loopback, bounded in connections and time. Peak memory is VmHWM, reset before each
attack (/proc/PID/clear_refs); "health" is GET /v1/health every 0.25 s during the
attack (answered / asked, median and worst latency; a 5 s client timeout is a
failure).

Usage: bench/hostile.py [--gazette build/gazette] [--baseline OLD_BUILD/gazette]
                        [--shared ../shared] [--work DIR]
Prints a Markdown table (docs/reliability.md, "Hostile clients").
"""
import argparse
import os
import socket
import statistics
import subprocess
import tempfile
import threading
import time
import zlib

TOKEN = "hostile-bench-token-0123456789abcdef"


def http(port, request, timeout=5.0):
    """Sends raw bytes, returns (status, body bytes, seconds); status 0 on failure."""
    start = time.monotonic()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as conn:
            conn.sendall(request)
            data = b""
            while True:
                chunk = conn.recv(65536)
                if not chunk:
                    break
                data += chunk
                if b"\r\n\r\n" in data:
                    head, _, rest = data.partition(b"\r\n\r\n")
                    length = [line for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:")]
                    if length and len(rest) >= int(length[0].split(b":")[1]):
                        break
        status = int(data[9:12]) if data.startswith(b"HTTP/1.") else 0
        return status, len(data), time.monotonic() - start
    except OSError:
        return 0, 0, time.monotonic() - start


def get(port, target, timeout=5.0, headers=""):
    return http(port, ("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n%s\r\n" % (target, headers)).encode(),
                timeout)


class Health:
    """Polls /v1/health in the background while an attack runs."""

    def __init__(self, port):
        self.port, self.samples, self.running = port, [], True
        self.thread = threading.Thread(target=self.run)
        self.thread.start()

    def run(self):
        while self.running:
            status, _, seconds = get(self.port, "/v1/health")
            self.samples.append((status == 200, seconds))
            time.sleep(0.25)

    def stop(self):
        self.running = False
        self.thread.join()
        good = [seconds for ok, seconds in self.samples if ok]
        text = "%d/%d" % (len(good), len(self.samples))
        if good:
            text += ", %.0f / %.0f ms" % (statistics.median(good) * 1000, max(good) * 1000)
        return text


class Serve:
    def __init__(self, binary, index, work, extra=()):
        self.log = os.path.join(work, "serve-%d.log" % time.monotonic_ns())
        token = os.path.join(work, "token")
        with open(token, "w") as out:
            out.write(TOKEN)
        os.chmod(token, 0o600)
        self.process = subprocess.Popen([binary, "serve", "-i", index, "--listen", "127.0.0.1:0", "--quiet",
                                         "--token-file", token, "--max-body", "1"] + list(extra),
                                        stdout=subprocess.DEVNULL, stderr=open(self.log, "w"))
        self.port = 0
        for _ in range(400):
            text = open(self.log).read()
            if "http://127.0.0.1:" in text:
                self.port = int(text.split("http://127.0.0.1:")[1].split("/")[0])
                break
            time.sleep(0.05)
        time.sleep(0.2)
        self.reset_peak()

    def status_kib(self, field):
        with open("/proc/%d/status" % self.process.pid) as status:
            for line in status:
                if line.startswith(field):
                    return int(line.split()[1])
        return 0

    def reset_peak(self):
        with open("/proc/%d/clear_refs" % self.process.pid, "w") as refs:
            refs.write("5")
        self.base = self.status_kib("VmRSS:")

    def peak_growth_mb(self):
        return (self.status_kib("VmHWM:") - self.base) / 1024

    def close(self):
        self.process.kill()
        self.process.wait()


def gzip_bomb(size):
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = bytes(1 << 20)
    return b"".join(packer.compress(block) for _ in range(size >> 20)) + packer.flush()


def post_head(token, extra):
    auth = "Authorization: Bearer %s\r\n" % token if token else ""
    return ("POST /v1/articles HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-ndjson\r\n%s%s\r\n"
            % (auth, extra)).encode()


def parallel(count, job):
    results = [None] * count
    threads = [threading.Thread(target=lambda i=i: results.__setitem__(i, job())) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


# --- The attacks: each takes a started server, returns the row's cell.

def bomb(server):
    body = gzip_bomb(1 << 30)  # 1 GiB of zeros in about 1 MiB.
    head = post_head("", "Content-Encoding: gzip\r\nContent-Length: %d\r\n" % len(body))
    statuses = parallel(3, lambda: http(server.port, head + body, timeout=60)[0])
    return "%s; peak +%.0f MB" % ("/".join(map(str, statuses)), server.peak_growth_mb())


def chunked(server):
    chunk = b"x" * (1 << 20)
    status = 0
    try:
        with socket.create_connection(("127.0.0.1", server.port), timeout=60) as conn:
            conn.sendall(post_head(TOKEN, "Transfer-Encoding: chunked\r\n"))
            for _ in range(200):
                conn.sendall(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
            conn.sendall(b"0\r\n\r\n")
            status = int(conn.recv(100)[9:12])
    except (OSError, ValueError):
        status = 0
    return "%s; peak +%.0f MB" % (status or "closed", server.peak_growth_mb())


def slowloris(server):
    conns = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(16)]
    request = b"GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + b"a" * 64
    health = Health(server.port)
    for byte in range(10):  # One byte every 2 s for 20 s.
        for conn in conns:
            try:
                conn.send(request[byte:byte + 1])
            except OSError:
                pass
        time.sleep(2)
    result = health.stop()
    for conn in conns:
        conn.close()
    return result


def stalled_exports(server):
    conns = []
    for _ in range(16):
        conn = socket.create_connection(("127.0.0.1", server.port))
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        conn.sendall(b"GET /v1/export?fields=id,title,body HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        conns.append(conn)
    health = Health(server.port)
    time.sleep(15)
    result = health.stop()
    for conn in conns:
        conn.close()
    return result


def connects(server):
    def one():
        start = time.monotonic()
        try:
            conn = socket.create_connection(("127.0.0.1", server.port), timeout=10)
            return conn, time.monotonic() - start
        except OSError:
            return None, None
    results = parallel(200, one)
    times = [seconds for _, seconds in results if seconds is not None]
    slow = sum(1 for seconds in times if seconds > 0.5)
    for conn, _ in results:
        if conn:
            conn.close()
    return "%d/200 connected, worst %.0f ms, %d over 0.5 s" % (len(times), max(times) * 1000, slow)


def wildcards(count):
    letters = "abcdefghijklmnopqrstuvwxyz"
    query = "+OR+".join(letters[i % 26] + "*" for i in range(count))
    return "/v1/search?q=" + query.replace("*", "%2A")

def wildcard_storm(server):
    cells = []
    for count in (520, 26, 4):
        status, _, seconds = get(server.port, wildcards(count), timeout=30)
        cells.append("%d: %s in %.2f s" % (count, status or "no answer", seconds))
    return "; ".join(cells)


def parallel_wildcards(server):
    """16 of the costliest queries the limit lets through (4 one-letter wildcards, 4,000 terms)."""
    health = Health(server.port)
    statuses = parallel(16, lambda: get(server.port, wildcards(4), timeout=60)[0])
    result = health.stop()
    return "%s; health %s" % ("/".join(sorted(set(map(str, statuses)))), result)


def ranges(server):
    spec = "bytes=" + ",".join("0-%d" % (100000 + i) for i in range(700))
    status, size, _ = get(server.port, "/v1/search?q=oil&limit=50", headers="Range: %s\r\n" % spec)
    plain = get(server.port, "/v1/search?q=oil&limit=50")[1]
    return "%d: %d KB answer (%d KB without Range) to a %d KB request" % (status, size / 1024, plain / 1024,
                                                                          len(spec) / 1024)


def extreme_dates(server):
    records = (b'{"id": "year-1", "title": "Ancient", "body": "Scroll.", "date": "0001-01-01"}\n'
               b'{"id": "year-9999", "title": "Future", "body": "Scroll.", "date": "9999-12-31"}\n')
    http(server.port, post_head(TOKEN, "Content-Length: %d\r\n" % len(records)) + records, timeout=30)
    server.reset_peak()
    status, size, seconds = get(server.port, "/v1/timeline?by=day", timeout=60)
    return "%s, %.0f KB in %.2f s; peak +%.0f MB" % (status or "no answer", size / 1024, seconds,
                                                    server.peak_growth_mb())


ATTACKS = [
    ("gzip bomb before authentication (3 at once, 1 GiB each)", bomb),
    ("chunked 200 MiB body, --max-body 1", chunked),
    ("slowloris: 16 clients, a header byte every 2 s (health during 20 s)", slowloris),
    ("16 exports never read (health during 15 s)", stalled_exports),
    ("200 concurrent connects", connects),
    ("wildcard queries: 520, 26 and 4 one-letter wildcards", wildcard_storm),
    ("16 parallel queries of 4 one-letter wildcards (health meanwhile)", parallel_wildcards),
    ("multi-range Range header", ranges),
    ("articles dated 0001-01-01 and 9999-12-31, timeline?by=day", extreme_dates),
]


def main():
    parser = argparse.ArgumentParser()
    here = os.path.dirname(os.path.abspath(__file__))
    parser.add_argument("--gazette", default=os.path.join(here, "..", "build", "gazette"))
    parser.add_argument("--baseline")
    parser.add_argument("--shared", default=os.path.join(here, "..", "..", "shared"))
    parser.add_argument("--work")
    args = parser.parse_args()
    work = args.work or tempfile.mkdtemp(prefix="gazette-hostile-")
    index = os.path.join(work, "reuters.index")
    if not os.path.exists(index):
        subprocess.run([args.gazette, "index", "-q", "-i", index,
                        os.path.join(args.shared, "corpora/reuters21578/reuters21578.jsonl.zst")],
                       check=True, stdout=subprocess.DEVNULL)
    builds = [("this build", args.gazette)] + ([("baseline", args.baseline)] if args.baseline else [])
    rows = []
    for name, attack in ATTACKS:
        cells = []
        for _, binary in builds:
            copy = os.path.join(work, "index-copy")
            subprocess.run(["rm", "-rf", copy], check=True)
            subprocess.run(["cp", "-a", index, copy], check=True)
            server = Serve(binary, copy, work)
            idle = server.base / 1024
            try:
                cells.append(attack(server))
            finally:
                server.close()
        rows.append((name, cells, idle))
        print("done: " + name, flush=True)
    print()
    print("| attack | " + " | ".join(label for label, _ in builds) + " |")
    print("|---|" + "---|" * len(builds))
    for name, cells, _ in rows:
        print("| %s | %s |" % (name, " | ".join(cells)))


if __name__ == "__main__":
    main()
