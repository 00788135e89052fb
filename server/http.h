// The HTTP layer under the routes of server/server.cpp: libmicrohttpd's event loop, a
// pool of worker threads, request bodies decoded into private memory, and streamed
// responses. The routes see only Request and Response.
//
// Why it holds against hostile clients (docs/architecture.md, docs/reliability.md):
// - One event-loop thread reads every connection, so a client that sends slowly, or
//   never reads, holds a connection slot and its 32 KB memory pool, never a thread;
//   idle connections are closed after the connection timeout.
// - Connections are capped in all and per client address; the listen backlog is large.
// - A request's headers go to `admit` before any body is read: a client that may not
//   send one (no token, writes off, too large) is answered at once, its body unread.
// - Bodies are decoded (Content-Encoding gzip or deflate) while they arrive, into an
//   anonymous memory file (memfd: no path another user could prepare), and capped by
//   their decoded size.
// - Requests run on the workers, except `quick` ones, answered on the event loop, so
//   that /v1/health answers while every worker is busy.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gazette::server::http {

using Fields = std::vector<std::pair<std::string, std::string>>;

struct Request {
  std::string method;
  std::string path;  // Percent-decoded, without the query string.
  Fields params;     // The query string's, decoded, in order (repeats kept).
  Fields headers;
  std::string remote;  // The client's address.
  // The decoded body, in an anonymous memory file readable at body_path(); none: -1.
  int body_fd = -1;
  std::uint64_t body_bytes = 0;

  // The first value of a header (names compare case-insensitively); empty when absent.
  std::string header(std::string_view name) const;
  std::string body_path() const { return "/proc/self/fd/" + std::to_string(body_fd); }
};

// The body of a streamed response, written by the route on its worker: write() waits
// while the client has not read what went before (so memory stays bounded), and
// returns false once the client is gone or the server is stopping.
class Stream {
 public:
  virtual ~Stream() = default;
  virtual bool write(std::string_view data) = 0;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  Fields headers;
  // When set, the body is streamed (chunked): called on the worker after the status
  // and headers have gone out; returns false when it failed midway, which ends the
  // transfer without its final chunk so that the client sees it broken.
  std::function<bool(Stream&)> stream;
};

struct Handlers {
  // Called on the event loop once the headers are in, before any body: an answer here
  // ends the request (its body, if any, is never read).
  std::function<std::optional<Response>(const Request&)> admit;
  // Requests answered on the event loop rather than a worker: cheap ones only.
  std::function<bool(const Request&)> quick;
  // Answers a request (body in): on a worker, or on the loop when quick.
  std::function<Response(const Request&)> handle;
  // Called when a request is done: its status and how long it took.
  std::function<void(const Request&, int status, double milliseconds)> done;
  // An error answer in the routes' own format, for what the layer refuses itself
  // (413, 415, 503): status, code and message.
  std::function<Response(int status, const std::string& code, const std::string& message)> error;
};

struct Limits {
  unsigned workers = 16;
  std::size_t max_body_bytes = 64u << 20;  // Decoded size of a request body.
  unsigned connection_timeout_seconds = 10;  // Idle connections are closed.
  unsigned max_connections = 1000;
  unsigned max_connections_per_client = 500;
  std::size_t connection_memory_bytes = 32 * 1024;  // Headers and buffers of a connection.
  std::size_t max_target_bytes = 8192;  // Path and query string: longer ones get 414.
  unsigned listen_backlog = 1024;
  std::size_t max_waiting = 1000;  // Requests queued for a worker beyond this get 503.
};

class Server {
 public:
  // Binds host:port (port 0: any free port); throws gazette::Error naming the address.
  Server(const std::string& host, int port, Limits limits, Handlers handlers);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  int port() const;
  // Serves until stop(): blocks the calling thread.
  void run();
  // Stops taking connections, waits up to `grace` for the requests in flight (streams
  // are then told to end), closes every connection, and run() returns.
  void stop(std::chrono::milliseconds grace);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace gazette::server::http
