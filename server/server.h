// `gazette serve`: the index over HTTP. A JSON API under /v1/ (the same field names as
// the CLI's --json: one encoder, present/json.h) and a search page at /, answered by a
// pool of worker threads over one index (docs/http.md), under an HTTP layer built to
// hold against hostile clients (server/http.h).
//
// Reading: each worker takes a Searcher from a pool (Xapian databases are for one
// thread at a time), refreshes it when the index changed (at most every
// `refresh_interval`), so searches see new commits within a second whoever wrote them;
// the Searcher reopens and retries when a commit discards what it reads, so no request
// fails because of one.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "gazette/search.h"

namespace gazette::server {

struct ServerOptions {
  // The indexes searched as one (Xapian's sharded databases). The first takes the
  // writes (POST, DELETE) and holds the collections file; the others are only read,
  // e.g. an archive beside a live index.
  std::vector<std::string> indexes;
  std::string host = "127.0.0.1";  // Loopback unless told otherwise.
  int port = 8080;                 // 0: any free port (see Server::port()).
  unsigned threads = 16;           // Requests handled at once.
  // Bearer token that POST/DELETE must carry; empty: writes are off (403).
  std::string token;
  std::size_t max_body_bytes = 64u << 20;  // Larger request bodies get 413.
  // Queries searching more terms are refused with 400 query_too_costly
  // (SearchRequest::max_query_terms).
  std::size_t max_query_terms = SearchRequest{}.max_query_terms;
  std::chrono::milliseconds refresh_interval{250};
  // Connections idle this long are closed (a client that stops sending or reading).
  unsigned connection_timeout_seconds = 10;
  // Host names the server answers to besides IP literals and localhost (DNS
  // rebinding: another site's name resolved to this server is refused, 421).
  std::vector<std::string> public_hosts;
  bool access_log = true;  // One line per request to stderr.
  // On stop(): how long the server keeps taking requests only to answer them 503
  // (with Retry-After and Connection: close), so that a load balancer or a client
  // polling /v1/health moves on before the port closes. 0: close at once.
  std::chrono::milliseconds lame_duck{500};
};

class Server {
 public:
  // Opens the index (throws IndexError when there is none) and binds the port (throws
  // gazette::Error naming the address when it cannot).
  explicit Server(ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  int port() const;  // The port bound.
  // Serves until stop(): blocks the calling thread.
  void run();
  // Answers new requests 503 for the lame-duck period, then stops taking connections,
  // lets requests in flight finish, and run() returns. Blocks for the lame-duck
  // period; safe from any thread (not from a request handler).
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The search page served at / (server/web/index.html, built into the binary), and its
// style and script (search.css, search.js).
const char* search_page();
const char* search_style();
const char* search_script();

}  // namespace gazette::server
