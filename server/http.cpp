// The HTTP layer (server/http.h) over libmicrohttpd: the event loop's callbacks, the
// workers, decoded bodies and streamed responses.
#include "server/http.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <list>
#include <mutex>
#include <thread>

#include <microhttpd.h>
#include <zlib.h>

#include "gazette/errors.h"

namespace gazette::server::http {
namespace {

using Clock = std::chrono::steady_clock;

bool same_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// --- Workers.

class WorkerPool {
 public:
  explicit WorkerPool(unsigned threads) {
    for (unsigned i = 0; i < std::max(1u, threads); ++i) threads_.emplace_back([this] { loop(); });
  }
  ~WorkerPool() { stop(); }

  std::size_t waiting() {
    std::lock_guard lock(mutex_);
    return jobs_.size();
  }
  void submit(std::function<void()> job) {
    {
      std::lock_guard lock(mutex_);
      jobs_.push_back(std::move(job));
    }
    wake_.notify_one();
  }
  void stop() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    for (std::thread& thread : threads_) {
      if (thread.joinable()) thread.join();
    }
  }

 private:
  void loop() {
    std::unique_lock lock(mutex_);
    while (true) {
      wake_.wait(lock, [&] { return stopping_ || !jobs_.empty(); });
      if (jobs_.empty()) return;
      std::function<void()> job = std::move(jobs_.front());
      jobs_.pop_front();
      lock.unlock();
      job();
      lock.lock();
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> jobs_;
  std::vector<std::thread> threads_;
  bool stopping_ = false;
};

// --- Request bodies.

// A request body as it arrives: Content-Encoding undone, written to an anonymous
// memory file, capped by its decoded size. Past the cap the rest is read and dropped
// (up to kDiscardAllowance, so the client still gets its 413; beyond, the connection
// is closed).
class Body {
 public:
  static constexpr std::uint64_t kDiscardAllowance = 4u << 20;

  struct Problem {
    int status;
    std::string code;
    std::string message;
  };

  Body(std::string encoding, std::uint64_t max_bytes) : encoding_(std::move(encoding)), max_(max_bytes) {}
  ~Body() {
    if (inflating_) inflateEnd(&zlib_);
    if (fd_ >= 0) ::close(fd_);
  }
  Body(const Body&) = delete;
  Body& operator=(const Body&) = delete;

  // Takes the next bytes of the body; false when the connection should be closed.
  bool feed(const char* data, std::size_t size) {
    if (problem_) {
      discarded_ += size;
      return discarded_ <= kDiscardAllowance;
    }
    if (encoding_.empty()) {
      store(data, size);
    } else {
      inflate_some(data, size);
    }
    return true;
  }
  // The body is complete: the decoder's end checked.
  void finish() {
    if (!problem_ && !encoding_.empty() && inflating_ && !stream_ended_) {
      problem_ = Problem{400, "bad_body", "the " + encoding_ + " body is truncated"};
    }
  }
  // Reads nothing more: the request was refused, its body is only dropped.
  void drop() { problem_ = Problem{0, "", ""}; }
  const std::optional<Problem>& problem() const { return problem_; }
  int fd() const { return fd_; }
  std::uint64_t bytes() const { return stored_; }

 private:
  void store(const char* data, std::size_t size) {
    if (problem_ || size == 0) return;
    if (stored_ + size > max_) {
      problem_ = Problem{413, "too_large", "the request body is over the server's limit of " + std::to_string(max_) +
                                               " bytes" + (encoding_.empty() ? "" : " once decoded") + " (--max-body)"};
      return;
    }
    if (fd_ < 0) {
      fd_ = ::memfd_create("gazette-upload", MFD_CLOEXEC);
      if (fd_ < 0) {
        problem_ = Problem{500, "internal", std::string("cannot hold the request body: ") + std::strerror(errno)};
        return;
      }
    }
    while (size > 0) {
      const ssize_t written = ::write(fd_, data, size);
      if (written < 0 && errno == EINTR) continue;
      if (written <= 0) {
        problem_ = Problem{500, "internal", std::string("cannot hold the request body: ") + std::strerror(errno)};
        return;
      }
      data += written;
      size -= static_cast<std::size_t>(written);
      stored_ += static_cast<std::uint64_t>(written);
    }
  }

  void inflate_some(const char* data, std::size_t size) {
    if (!inflating_) {
      // gzip: a gzip header; deflate: zlib's format, as HTTP defines it (32: either).
      if (inflateInit2(&zlib_, 15 + 32) != Z_OK) {
        problem_ = Problem{500, "internal", "cannot start zlib"};
        return;
      }
      inflating_ = true;
    }
    zlib_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data));
    zlib_.avail_in = static_cast<uInt>(size);
    unsigned char out[64 * 1024];
    while (zlib_.avail_in > 0 && !problem_) {
      if (stream_ended_) {
        problem_ = Problem{400, "bad_body", "bytes after the end of the " + encoding_ + " body"};
        return;
      }
      zlib_.next_out = out;
      zlib_.avail_out = sizeof out;
      const int result = inflate(&zlib_, Z_NO_FLUSH);
      if (result != Z_OK && result != Z_STREAM_END && result != Z_BUF_ERROR) {
        problem_ = Problem{400, "bad_body", "the " + encoding_ + " body is corrupt" +
                                                (zlib_.msg ? std::string(": ") + zlib_.msg : std::string())};
        return;
      }
      store(reinterpret_cast<const char*>(out), sizeof out - zlib_.avail_out);
      if (result == Z_STREAM_END) stream_ended_ = true;
      if (result == Z_BUF_ERROR && zlib_.avail_out == sizeof out) break;  // Needs more input.
    }
  }

  std::string encoding_;  // "gzip", "deflate", or empty for none.
  std::uint64_t max_;
  int fd_ = -1;
  std::uint64_t stored_ = 0;
  std::uint64_t discarded_ = 0;
  z_stream zlib_{};
  bool inflating_ = false;
  bool stream_ended_ = false;
  std::optional<Problem> problem_;
};

// --- Streamed responses.

// What a route's producer has written and the event loop has not yet sent. The
// producer waits while kHighWater bytes are unsent; the loop suspends the connection
// while nothing is, and the producer resumes it.
struct StreamState {
  static constexpr std::size_t kHighWater = 256 * 1024;

  explicit StreamState(MHD_Connection* given) : connection(given) {}
  MHD_Connection* connection;
  std::mutex mutex;
  std::condition_variable space;
  std::string buffer;
  std::size_t offset = 0;  // Sent up to here.
  bool suspended = false;  // The loop suspended the connection waiting for data.
  bool done = false, failed = false;
  bool closed = false;     // The response is gone (sent, or the client left).
  bool cancelled = false;  // The server is stopping.

  // Under the mutex.
  void resume_if_suspended() {
    if (!suspended) return;
    suspended = false;
    MHD_resume_connection(connection);
  }
};

class StreamWriter : public Stream {
 public:
  explicit StreamWriter(std::shared_ptr<StreamState> state) : state_(std::move(state)) {}
  bool write(std::string_view data) override {
    StreamState& state = *state_;
    std::unique_lock lock(state.mutex);
    state.space.wait(lock, [&] {
      return state.closed || state.cancelled || state.buffer.size() - state.offset < StreamState::kHighWater;
    });
    if (state.closed || state.cancelled) return false;
    if (state.offset > 0 && state.offset == state.buffer.size()) {
      state.buffer.clear();
      state.offset = 0;
    }
    state.buffer.append(data);
    state.resume_if_suspended();
    return true;
  }

 private:
  std::shared_ptr<StreamState> state_;
};

ssize_t read_stream(void* context, std::uint64_t, char* out, std::size_t max) {
  StreamState& state = **static_cast<std::shared_ptr<StreamState>*>(context);
  std::lock_guard lock(state.mutex);
  if (state.offset < state.buffer.size()) {
    const std::size_t count = std::min(max, state.buffer.size() - state.offset);
    std::memcpy(out, state.buffer.data() + state.offset, count);
    state.offset += count;
    if (state.offset == state.buffer.size() || state.offset > StreamState::kHighWater) {
      state.buffer.erase(0, state.offset);
      state.offset = 0;
    }
    state.space.notify_all();
    return static_cast<ssize_t>(count);
  }
  if (state.done || state.cancelled) {
    return state.failed || !state.done ? MHD_CONTENT_READER_END_WITH_ERROR : MHD_CONTENT_READER_END_OF_STREAM;
  }
  state.suspended = true;
  MHD_suspend_connection(state.connection);
  return 0;
}

void free_stream(void* context) {
  auto* holder = static_cast<std::shared_ptr<StreamState>*>(context);
  {
    std::lock_guard lock((*holder)->mutex);
    (*holder)->closed = true;
    (*holder)->suspended = false;
  }
  (*holder)->space.notify_all();
  delete holder;
}

// --- One request.

struct Exchange {
  std::size_t target_bytes = 0;  // Of the raw request target (path and query string).
  bool begun = false;            // The headers have been seen.
  Request request;
  Clock::time_point started = Clock::now();
  std::unique_ptr<Body> body;
  std::optional<Response> ready;  // A worker's answer, to queue once resumed.
  std::optional<Response> refusal;  // Given before the body, sent once it is dropped.
  std::shared_ptr<StreamState> stream;
  int status = 0;  // What was sent.
  bool in_flight = false;  // Counted in Impl::in_flight until the request completes.
};

MHD_Result collect(void* context, MHD_ValueKind, const char* key, const char* value) {
  static_cast<Fields*>(context)->emplace_back(key ? key : "", value ? value : "");
  return MHD_YES;
}

std::string client_address(MHD_Connection* connection) {
  const MHD_ConnectionInfo* info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  if (!info || !info->client_addr) return {};
  char text[INET6_ADDRSTRLEN] = {};
  if (info->client_addr->sa_family == AF_INET) {
    ::inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(info->client_addr)->sin_addr, text, sizeof text);
  } else if (info->client_addr->sa_family == AF_INET6) {
    ::inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(info->client_addr)->sin6_addr, text, sizeof text);
  }
  return text;
}

// The body's Content-Encoding as the decoder names it; nullopt when it is not one.
std::optional<std::string> body_encoding(const std::string& header) {
  std::string value;
  for (const char c : header) {
    if (c != ' ' && c != '\t') value += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (value.empty() || value == "identity") return std::string();
  if (value == "gzip" || value == "x-gzip") return std::string("gzip");
  if (value == "deflate") return std::string("deflate");
  return std::nullopt;
}

}  // namespace

std::string Request::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (same_name(key, name)) return value;
  }
  return {};
}

struct Server::Impl {
  Limits limits;
  Handlers handlers;
  MHD_Daemon* daemon = nullptr;
  int port = 0;
  WorkerPool workers;

  std::mutex mutex;
  std::condition_variable changed;
  // Requests handed to workers and not yet completed (their answer sent, or their
  // client gone): stop() waits for them, so that no answer is cut off.
  std::size_t in_flight = 0;
  std::list<std::weak_ptr<StreamState>> streams;
  bool stopped = false;

  Impl(Limits given_limits, Handlers given_handlers)
      : limits(given_limits), handlers(std::move(given_handlers)), workers(given_limits.workers) {}

  // --- Answers.

  MHD_Result send(MHD_Connection* connection, Exchange& exchange, const Response& response) {
    MHD_Response* answer = MHD_create_response_from_buffer(response.body.size(), const_cast<char*>(response.body.data()),
                                                           MHD_RESPMEM_MUST_COPY);
    if (!answer) return MHD_NO;
    add_headers(answer, response);
    exchange.status = response.status;
    const MHD_Result queued = MHD_queue_response(connection, static_cast<unsigned>(response.status), answer);
    MHD_destroy_response(answer);
    return queued;
  }

  MHD_Result send_stream(MHD_Connection* connection, Exchange& exchange, const Response& response) {
    auto* holder = new std::shared_ptr<StreamState>(exchange.stream);
    MHD_Response* answer = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 64 * 1024, &read_stream, holder, &free_stream);
    if (!answer) {
      free_stream(holder);
      return MHD_NO;
    }
    add_headers(answer, response);
    exchange.status = response.status;
    const MHD_Result queued = MHD_queue_response(connection, static_cast<unsigned>(response.status), answer);
    MHD_destroy_response(answer);
    return queued;
  }

  static void add_headers(MHD_Response* answer, const Response& response) {
    if (!response.content_type.empty()) MHD_add_response_header(answer, "Content-Type", response.content_type.c_str());
    for (const auto& [name, value] : response.headers) MHD_add_response_header(answer, name.c_str(), value.c_str());
  }

  MHD_Result refuse(MHD_Connection* connection, Exchange& exchange, int status, const std::string& code,
                    const std::string& message) {
    return send(connection, exchange, handlers.error(status, code, message));
  }

  // --- The event loop's callbacks.

  MHD_Result on_request(MHD_Connection* connection, const char* url, const char* method, const char* upload_data,
                        std::size_t* upload_size, void** context) {
    auto* exchange = static_cast<Exchange*>(*context);
    if (!exchange) {  // Made by the URI callback; not when the request line was bad.
      exchange = new Exchange;
      *context = exchange;
    }
    if (!exchange->begun) {
      exchange->begun = true;
      return begin(connection, *exchange, url, method);
    }
    if (upload_data && *upload_size > 0) {
      const bool keep = exchange->body && exchange->body->feed(upload_data, *upload_size);
      *upload_size = 0;
      return keep ? MHD_YES : MHD_NO;
    }
    return complete(connection, *exchange);
  }

  // The headers are in: the request as the routes see it, admitted or answered.
  MHD_Result begin(MHD_Connection* connection, Exchange& exchange, const char* url, const char* method) {
    Request& request = exchange.request;
    request.method = method;
    request.path = url;
    MHD_get_connection_values(connection, MHD_GET_ARGUMENT_KIND, &collect, &request.params);
    MHD_get_connection_values(connection, MHD_HEADER_KIND, &collect, &request.headers);
    request.remote = client_address(connection);
    if (exchange.target_bytes > limits.max_target_bytes) {
      return refuse(connection, exchange, 414, "too_long",
                    "the request target is " + std::to_string(exchange.target_bytes) + " bytes, over " +
                        std::to_string(limits.max_target_bytes));
    }
    const std::string length_header = request.header("Content-Length");
    const bool chunked = request.header("Transfer-Encoding").find("chunked") != std::string::npos;
    const std::uint64_t length = length_header.empty() ? 0 : std::strtoull(length_header.c_str(), nullptr, 10);
    const bool has_body = length > 0 || chunked;
    const std::optional<std::string> encoding = body_encoding(request.header("Content-Encoding"));

    std::optional<Response> refusal = handlers.admit(request);
    if (!refusal && has_body && !encoding) {
      refusal = handlers.error(415, "unsupported_encoding",
                               "Content-Encoding '" + request.header("Content-Encoding") + "' is not gzip or deflate");
    }
    if (!refusal && encoding && encoding->empty() && length > limits.max_body_bytes) {
      refusal = handlers.error(413, "too_large", "the request body is over the server's limit of " +
                                                     std::to_string(limits.max_body_bytes) + " bytes (--max-body)");
    }
    if (refusal) {
      // A small body is read and dropped, so that the client, still sending it, reads
      // the answer; a large one is not read at all (the connection closes after the
      // answer; a client that asked "Expect: 100-continue" gets it before sending).
      if (!has_body || (!chunked && length > Body::kDiscardAllowance)) return send(connection, exchange, *refusal);
      exchange.refusal = std::move(refusal);
      exchange.body = std::make_unique<Body>(std::string(), 0);
      exchange.body->drop();
      return MHD_YES;
    }
    if (has_body) exchange.body = std::make_unique<Body>(*encoding, limits.max_body_bytes);
    return MHD_YES;
  }

  // The body is in (or there is none): answered here, or handed to a worker.
  MHD_Result complete(MHD_Connection* connection, Exchange& exchange) {
    if (exchange.ready) {  // Back from a worker.
      const Response response = std::move(*exchange.ready);
      exchange.ready.reset();
      return exchange.stream ? send_stream(connection, exchange, response) : send(connection, exchange, response);
    }
    if (exchange.refusal) return send(connection, exchange, *exchange.refusal);
    if (exchange.body) {
      exchange.body->finish();
      if (const auto& problem = exchange.body->problem()) {
        return refuse(connection, exchange, problem->status, problem->code, problem->message);
      }
      exchange.request.body_fd = exchange.body->fd();
      exchange.request.body_bytes = exchange.body->bytes();
    }
    if (handlers.quick(exchange.request)) return send(connection, exchange, answer(exchange.request));
    if (workers.waiting() >= limits.max_waiting) {
      Response busy = handlers.error(503, "busy", "every worker is busy and the queue is full; try again");
      busy.headers.emplace_back("Retry-After", "1");
      return send(connection, exchange, busy);
    }
    {
      std::lock_guard lock(mutex);
      ++in_flight;
    }
    exchange.in_flight = true;
    MHD_suspend_connection(connection);
    workers.submit([this, connection, &exchange] { work(connection, exchange); });
    return MHD_YES;
  }

  Response answer(const Request& request) {
    try {
      return handlers.handle(request);
    } catch (const std::exception& error) {
      return handlers.error(500, "internal", error.what());
    }
  }

  // On a worker: the answer, then (for a stream) the body, written as the client reads.
  void work(MHD_Connection* connection, Exchange& exchange) {
    Response response = answer(exchange.request);
    std::function<bool(Stream&)> producer = std::move(response.stream);
    std::shared_ptr<StreamState> stream;
    if (producer) {
      stream = std::make_shared<StreamState>(connection);
      std::lock_guard lock(mutex);
      streams.remove_if([](const std::weak_ptr<StreamState>& state) { return state.expired(); });
      streams.push_back(stream);
      if (stopped) stream->cancelled = true;
    }
    exchange.stream = stream;
    exchange.ready = std::move(response);
    MHD_resume_connection(connection);  // `exchange` is the loop's again from here.
    if (producer) {
      StreamWriter writer(stream);
      bool ended = false;
      try {
        ended = producer(writer);
      } catch (const std::exception&) {
        ended = false;
      }
      {
        std::lock_guard lock(stream->mutex);
        stream->done = true;
        stream->failed = !ended;
        stream->resume_if_suspended();
      }
    }
  }

  void on_completed(Exchange* exchange) {
    if (!exchange) return;
    if (handlers.done) {
      const double ms = std::chrono::duration<double, std::milli>(Clock::now() - exchange->started).count();
      handlers.done(exchange->request, exchange->status, ms);
    }
    const bool counted = exchange->in_flight;
    delete exchange;
    if (counted) {
      {
        std::lock_guard lock(mutex);
        --in_flight;
      }
      changed.notify_all();
    }
  }
};

Server::Server(const std::string& host, int port, Limits limits, Handlers handlers)
    : impl_(std::make_unique<Impl>(limits, std::move(handlers))) {
  addrinfo hints{};
  hints.ai_flags = AI_NUMERICHOST | AI_PASSIVE;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const std::string listen_on = host.size() > 2 && host.front() == '[' && host.back() == ']' ? host.substr(1, host.size() - 2) : host;
  const std::string where = host + ":" + std::to_string(port);
  if (::getaddrinfo(listen_on.c_str(), std::to_string(port).c_str(), &hints, &found) != 0 || !found) {
    throw Error("cannot listen on " + where + " (not a numeric address of this machine)");
  }
  sockaddr_storage address{};
  std::memcpy(&address, found->ai_addr, found->ai_addrlen);
  const bool ipv6 = found->ai_family == AF_INET6;
  ::freeaddrinfo(found);

  // Captureless lambdas, in the class's scope: the callbacks as libmicrohttpd takes them.
  MHD_AccessHandlerCallback on_request = [](void* context, MHD_Connection* connection, const char* url,
                                            const char* method, const char*, const char* upload_data,
                                            std::size_t* upload_size, void** request_context) {
    return static_cast<Impl*>(context)->on_request(connection, url, method, upload_data, upload_size, request_context);
  };
  MHD_RequestCompletedCallback on_completed = [](void* context, MHD_Connection*, void** request_context,
                                                 MHD_RequestTerminationCode) {
    static_cast<Impl*>(context)->on_completed(static_cast<Exchange*>(*request_context));
    *request_context = nullptr;
  };
  // Sees the raw request target first: its length, which the parsed one hides.
  auto on_target = [](void*, const char* uri, MHD_Connection*) -> void* {
    auto* exchange = new Exchange;
    exchange->target_bytes = uri ? std::strlen(uri) : 0;
    return exchange;
  };
  unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME;
  if (ipv6) flags |= MHD_USE_IPv6;
  impl_->daemon = MHD_start_daemon(
      flags, static_cast<std::uint16_t>(port), nullptr, nullptr, on_request, impl_.get(),
      MHD_OPTION_NOTIFY_COMPLETED, on_completed, impl_.get(),
      MHD_OPTION_URI_LOG_CALLBACK, static_cast<void* (*)(void*, const char*, MHD_Connection*)>(on_target), nullptr,
      MHD_OPTION_SOCK_ADDR, reinterpret_cast<sockaddr*>(&address),
      MHD_OPTION_CONNECTION_TIMEOUT, limits.connection_timeout_seconds,
      MHD_OPTION_CONNECTION_LIMIT, limits.max_connections,
      MHD_OPTION_PER_IP_CONNECTION_LIMIT, limits.max_connections_per_client,
      MHD_OPTION_CONNECTION_MEMORY_LIMIT, limits.connection_memory_bytes,
      MHD_OPTION_LISTEN_BACKLOG_SIZE, limits.listen_backlog,
      MHD_OPTION_END);
  if (!impl_->daemon) {
    throw Error("cannot listen on " + where + " (in use, or not an address of this machine)");
  }
  const MHD_DaemonInfo* info = MHD_get_daemon_info(impl_->daemon, MHD_DAEMON_INFO_BIND_PORT);
  impl_->port = info ? info->port : port;
}

Server::~Server() { stop(std::chrono::milliseconds(0)); }

int Server::port() const { return impl_->port; }

void Server::run() {
  std::unique_lock lock(impl_->mutex);
  impl_->changed.wait(lock, [&] { return impl_->stopped && !impl_->daemon; });
}

void Server::stop(std::chrono::milliseconds grace) {
  Impl& impl = *impl_;
  {
    std::lock_guard lock(impl.mutex);
    if (impl.stopped) return;
    impl.stopped = true;
  }
  const MHD_socket listening = MHD_quiesce_daemon(impl.daemon);
  {
    // The requests in flight finish; then what still streams is told to end.
    std::unique_lock lock(impl.mutex);
    impl.changed.wait_for(lock, grace, [&] { return impl.in_flight == 0; });
    for (const std::weak_ptr<StreamState>& weak : impl.streams) {
      if (const std::shared_ptr<StreamState> stream = weak.lock()) {
        std::lock_guard stream_lock(stream->mutex);
        stream->cancelled = true;
        stream->resume_if_suspended();
        stream->space.notify_all();
      }
    }
    impl.changed.wait(lock, [&] { return impl.in_flight == 0; });
  }
  MHD_stop_daemon(impl.daemon);
  if (listening != MHD_INVALID_SOCKET) ::close(listening);
  impl.workers.stop();
  {
    std::lock_guard lock(impl.mutex);
    impl.daemon = nullptr;
  }
  impl.changed.notify_all();
}

}  // namespace gazette::server::http
